package event

// TypeContactURNsChanged is emitted when a contact's URNs change.
const TypeContactURNsChanged = "contact_urns_changed"

// ContactURNsChanged is emitted when a contact's URNs change; URNs is the full new list.
type ContactURNsChanged struct {
	Base
	URNs []string `json:"urns"`
}

// NewContactURNsChanged builds the event.
func NewContactURNsChanged(urns []string) *ContactURNsChanged {
	if urns == nil {
		urns = []string{}
	}
	return &ContactURNsChanged{Base: base(TypeContactURNsChanged), URNs: urns}
}

func init() { register(TypeContactURNsChanged, func() Event { return &ContactURNsChanged{} }) }
