package event

import "time"

// TypeContactLastSeenChanged is emitted when a contact's last seen time changes.
const TypeContactLastSeenChanged = "contact_last_seen_changed"

// ContactLastSeenChanged is emitted when a contact's last seen time changes.
type ContactLastSeenChanged struct {
	Base
	LastSeenOn time.Time `json:"last_seen_on"`
}

// NewContactLastSeenChanged builds the event.
func NewContactLastSeenChanged(t time.Time) *ContactLastSeenChanged {
	return &ContactLastSeenChanged{Base: base(TypeContactLastSeenChanged), LastSeenOn: t}
}

func init() { register(TypeContactLastSeenChanged, func() Event { return &ContactLastSeenChanged{} }) }
