package event

import "careflow/flow"

// TypeRunEnded is emitted when a run exits.
const TypeRunEnded = "run_ended"

// RunEnded is emitted when a run exits (completed, expired or failed).
type RunEnded struct {
	Base
	RunUUID string        `json:"run_uuid"`
	Flow    *flow.FlowRef `json:"flow"`
	Status  string        `json:"status"`
}

// NewRunEnded builds the event.
func NewRunEnded(runUUID string, f *flow.FlowRef, status string) *RunEnded {
	return &RunEnded{Base: base(TypeRunEnded), RunUUID: runUUID, Flow: f, Status: status}
}

func init() { register(TypeRunEnded, func() Event { return &RunEnded{} }) }
