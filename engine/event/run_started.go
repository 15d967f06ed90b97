package event

import "careflow/flow"

// TypeRunStarted is emitted when a run starts.
const TypeRunStarted = "run_started"

// RunStarted is emitted when a run starts.
type RunStarted struct {
	Base
	Flow       *flow.FlowRef `json:"flow"`
	RunUUID    string        `json:"run_uuid"`
	ParentUUID string        `json:"parent_uuid,omitempty"`
	Terminal   bool          `json:"terminal,omitempty"`
}

// NewRunStarted builds the event.
func NewRunStarted(f *flow.FlowRef, runUUID, parentUUID string, terminal bool) *RunStarted {
	return &RunStarted{Base: base(TypeRunStarted), Flow: f, RunUUID: runUUID, ParentUUID: parentUUID, Terminal: terminal}
}

func init() { register(TypeRunStarted, func() Event { return &RunStarted{} }) }
