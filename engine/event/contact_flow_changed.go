package event

import "careflow/flow"

// TypeContactFlowChanged records a caller-side change of the contact's current flow.
const TypeContactFlowChanged = "contact_flow_changed"

// ContactFlowChanged records a caller-side change of the contact's current flow (null = none).
type ContactFlowChanged struct {
	Base
	Flow *flow.FlowRef `json:"flow"`
}

func init() { register(TypeContactFlowChanged, func() Event { return &ContactFlowChanged{} }) }
