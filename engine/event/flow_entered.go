package event

import "careflow/flow"

// TypeFlowEntered is a legacy event type that must still be readable.
const TypeFlowEntered = "flow_entered"

// FlowEntered is a legacy event recording a subflow being entered.
type FlowEntered struct {
	Base
	Flow          *flow.FlowRef `json:"flow"`
	ParentRunUUID string        `json:"parent_run_uuid"`
	Terminal      bool          `json:"terminal,omitempty"`
}

func init() { register(TypeFlowEntered, func() Event { return &FlowEntered{} }) }
