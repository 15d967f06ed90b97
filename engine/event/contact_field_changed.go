package event

import (
	"encoding/json"

	"careflow/flow"
)

// TypeContactFieldChanged is emitted when a contact field value changes.
const TypeContactFieldChanged = "contact_field_changed"

// ContactFieldChanged is emitted when a contact field value changes; Value is null when cleared.
type ContactFieldChanged struct {
	Base
	Field *flow.FieldRef  `json:"field"`
	Value json.RawMessage `json:"value"`
}

// NewContactFieldChanged builds the event; value is the field value JSON or nil.
func NewContactFieldChanged(f *flow.FieldRef, value json.RawMessage) *ContactFieldChanged {
	if value == nil {
		value = json.RawMessage("null")
	}
	return &ContactFieldChanged{Base: base(TypeContactFieldChanged), Field: f, Value: value}
}

func init() { register(TypeContactFieldChanged, func() Event { return &ContactFieldChanged{} }) }
