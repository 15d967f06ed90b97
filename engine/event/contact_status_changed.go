package event

// TypeContactStatusChanged is emitted when a contact's status changes.
const TypeContactStatusChanged = "contact_status_changed"

// ContactStatusChanged is emitted when a contact's status changes.
type ContactStatusChanged struct {
	Base
	Status string `json:"status"`
}

// NewContactStatusChanged builds the event.
func NewContactStatusChanged(v string) *ContactStatusChanged {
	return &ContactStatusChanged{Base: base(TypeContactStatusChanged), Status: v}
}

func init() { register(TypeContactStatusChanged, func() Event { return &ContactStatusChanged{} }) }
