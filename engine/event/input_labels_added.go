package event

import "careflow/flow"

// TypeInputLabelsAdded is emitted when labels are added to the session input.
const TypeInputLabelsAdded = "input_labels_added"

// InputLabelsAdded is emitted when labels are added to the session input.
type InputLabelsAdded struct {
	Base
	InputUUID string           `json:"input_uuid"`
	Labels    []*flow.LabelRef `json:"labels"`
}

// NewInputLabelsAdded builds the event.
func NewInputLabelsAdded(input string, labels []*flow.LabelRef) *InputLabelsAdded {
	return &InputLabelsAdded{Base: base(TypeInputLabelsAdded), InputUUID: input, Labels: labels}
}

func init() { register(TypeInputLabelsAdded, func() Event { return &InputLabelsAdded{} }) }
