package engine

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"careflow/engine/event"
	"careflow/flow"
)

// Contact statuses.
const (
	StatusActive   = "active"
	StatusBlocked  = "blocked"
	StatusStopped  = "stopped"
	StatusArchived = "archived"
)

// Contact is the person a session is about (flows.md §9.1). It is not stored in the session;
// the caller supplies it on start and resume and the engine mutates it during a sprint.
type Contact struct {
	UUID       string
	ID         int64
	Name       string
	Language   string
	Status     string
	Timezone   string
	CreatedOn  time.Time
	LastSeenOn *time.Time
	URNs       []*URN
	Groups     []*flow.GroupRef
	Fields     map[string]*FieldValue
	Tickets    []*event.Ticket
}

// Clone makes a deep enough copy for independent mutation.
func (c *Contact) Clone() *Contact {
	b, _ := json.Marshal(c)
	n, _ := ReadContact(b, nil)
	return n
}

// Ref is the contact reference.
func (c *Contact) Ref() *flow.ContactRef { return &flow.ContactRef{UUID: c.UUID, Name: c.Name} }

// URNStrings lists the URNs in stored form.
func (c *Contact) URNStrings() []string {
	out := make([]string, len(c.URNs))
	for i, u := range c.URNs {
		out[i] = u.String()
	}
	return out
}

// HasURN reports whether the contact has a URN with the same identity.
func (c *Contact) HasURN(identity string) bool {
	for _, u := range c.URNs {
		if u.Identity() == identity {
			return true
		}
	}
	return false
}

// InGroup reports whether the contact is in the group.
func (c *Contact) InGroup(uuid string) bool {
	for _, g := range c.Groups {
		if g.UUID == uuid {
			return true
		}
	}
	return false
}

// OpenTicket returns the most recently opened open ticket, or nil.
func (c *Contact) OpenTicket() *event.Ticket {
	for i := len(c.Tickets) - 1; i >= 0; i-- {
		if c.Tickets[i].Status == "open" {
			return c.Tickets[i]
		}
	}
	return nil
}

// Location returns the contact's time zone (UTC when unset or unknown).
func (c *Contact) Location() *time.Location {
	if c.Timezone == "" {
		return nil
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return nil
	}
	return loc
}

// FirstName is the first word of the name.
func (c *Contact) FirstName() string {
	f := strings.Fields(c.Name)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// SortedFieldKeys returns the keys of set fields in order.
func (c *Contact) SortedFieldKeys() []string {
	keys := make([]string, 0, len(c.Fields))
	for k := range c.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
