package engine

import (
	"encoding/json"
	"fmt"
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

type contactJSON struct {
	UUID       string                 `json:"uuid"`
	ID         int64                  `json:"id,omitempty"`
	Name       string                 `json:"name,omitempty"`
	Language   string                 `json:"language,omitempty"`
	Status     string                 `json:"status"`
	Timezone   string                 `json:"timezone,omitempty"`
	CreatedOn  time.Time              `json:"created_on"`
	LastSeenOn *time.Time             `json:"last_seen_on,omitempty"`
	URNs       []string               `json:"urns,omitempty"`
	Groups     []*flow.GroupRef       `json:"groups,omitempty"`
	Fields     map[string]*FieldValue `json:"fields,omitempty"`
	Tickets    []*event.Ticket        `json:"tickets,omitempty"`
}

// ReadContact reads a contact from JSON. Groups and channels are resolved against assets when
// given (unknown groups are dropped).
func ReadContact(data []byte, assets *Assets) (*Contact, error) {
	var in contactJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, fmt.Errorf("read contact: %w", err)
	}
	c := &Contact{UUID: in.UUID, ID: in.ID, Name: in.Name, Language: in.Language, Status: in.Status,
		Timezone: in.Timezone, CreatedOn: in.CreatedOn, LastSeenOn: in.LastSeenOn, Fields: in.Fields, Tickets: in.Tickets}
	if c.Status == "" {
		c.Status = StatusActive
	}
	for _, s := range in.URNs {
		u, err := ParseURN(s)
		if err != nil {
			return nil, fmt.Errorf("read contact: %w", err)
		}
		c.URNs = append(c.URNs, u)
	}
	for _, g := range in.Groups {
		if assets != nil {
			if a := assets.Group(g.UUID); a != nil {
				c.Groups = append(c.Groups, a.Ref())
			}
			continue
		}
		c.Groups = append(c.Groups, g)
	}
	if c.Fields == nil {
		c.Fields = map[string]*FieldValue{}
	}
	return c, nil
}

// MarshalJSON writes the contact in the reference shape.
func (c *Contact) MarshalJSON() ([]byte, error) {
	out := contactJSON{UUID: c.UUID, ID: c.ID, Name: c.Name, Language: c.Language, Status: c.Status,
		Timezone: c.Timezone, CreatedOn: c.CreatedOn, LastSeenOn: c.LastSeenOn, Groups: c.Groups, Tickets: c.Tickets}
	for _, u := range c.URNs {
		out.URNs = append(out.URNs, u.String())
	}
	if len(c.Fields) > 0 {
		out.Fields = c.Fields
	}
	return json.Marshal(&out)
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
