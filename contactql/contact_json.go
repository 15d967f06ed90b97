package contactql

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// JSONContact is a Contact read from the engine's contact JSON (flows.md §9.1), for tools and
// tests that hold contacts as JSON rather than as engine values.
type JSONContact struct {
	c contactJSON
}

var _ Contact = (*JSONContact)(nil)

type contactJSON struct {
	UUID       string     `json:"uuid"`
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Language   string     `json:"language"`
	Status     string     `json:"status"`
	CreatedOn  time.Time  `json:"created_on"`
	LastSeenOn *time.Time `json:"last_seen_on"`
	URNs       []string   `json:"urns"`
	Groups     []GroupRef `json:"groups"`
	Fields     map[string]*struct {
		Text     string           `json:"text"`
		Number   *decimal.Decimal `json:"number"`
		Datetime *time.Time       `json:"datetime"`
		State    string           `json:"state"`
		District string           `json:"district"`
		Ward     string           `json:"ward"`
	} `json:"fields"`
	Tickets []struct {
		Status string `json:"status"`
	} `json:"tickets"`
}

// ReadContact reads a contact from its JSON form; a missing status means active.
func ReadContact(data []byte) (*JSONContact, error) {
	c := &JSONContact{}
	if err := json.Unmarshal(data, &c.c); err != nil {
		return nil, fmt.Errorf("read contact: %w", err)
	}
	if c.c.Status == "" {
		c.c.Status = "active" // as the engine reads a contact without a status
	}
	return c, nil
}

// UUID returns the contact's UUID.
func (c *JSONContact) UUID() string { return c.c.UUID }

// ID returns the contact's id, or 0.
func (c *JSONContact) ID() int64 { return c.c.ID }

// Name returns the contact's name.
func (c *JSONContact) Name() string { return c.c.Name }

// Language returns the contact's language.
func (c *JSONContact) Language() string { return c.c.Language }

// Status returns the contact's status.
func (c *JSONContact) Status() string { return c.c.Status }

// SetStatus changes the contact's status (for tests and tools that try variations).
func (c *JSONContact) SetStatus(s string) { c.c.Status = s }

// CreatedOn returns when the contact was created.
func (c *JSONContact) CreatedOn() time.Time { return c.c.CreatedOn }

// LastSeenOn returns when the contact was last seen, and false if never.
func (c *JSONContact) LastSeenOn() (time.Time, bool) {
	if c.c.LastSeenOn == nil {
		return time.Time{}, false
	}
	return *c.c.LastSeenOn, true
}

// URNs returns the contact's URNs that split into scheme and path.
func (c *JSONContact) URNs() []URN {
	var out []URN
	for _, s := range c.c.URNs {
		if u, ok := ParseURN(s); ok {
			out = append(out, u)
		}
	}
	return out
}

// Groups returns the contact's groups.
func (c *JSONContact) Groups() []GroupRef { return c.c.Groups }

// FieldValue returns the value of a field, and false when it isn't set.
func (c *JSONContact) FieldValue(key string) (FieldValue, bool) {
	v := c.c.Fields[key]
	if v == nil {
		return FieldValue{}, false
	}
	return FieldValue{Text: v.Text, Number: v.Number, Datetime: v.Datetime, State: v.State, District: v.District, Ward: v.Ward}, true
}

// OpenTickets counts the contact's open tickets.
func (c *JSONContact) OpenTickets() int {
	n := 0
	for _, t := range c.c.Tickets {
		if t.Status == "open" {
			n++
		}
	}
	return n
}
