package event

// TypeContactNameChanged is emitted when a contact's name changes.
const TypeContactNameChanged = "contact_name_changed"

// ContactNameChanged is emitted when a contact's name changes.
type ContactNameChanged struct {
	Base
	Name string `json:"name"`
}

// NewContactNameChanged builds the event.
func NewContactNameChanged(v string) *ContactNameChanged {
	return &ContactNameChanged{Base: base(TypeContactNameChanged), Name: v}
}

func init() { register(TypeContactNameChanged, func() Event { return &ContactNameChanged{} }) }
