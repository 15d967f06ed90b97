package contactql_test

import (
	"encoding/json"
	"testing"
	"time"

	"careflow/contactql"

	"github.com/shopspring/decimal"
)

// jsonContact is a test adapter: a contact in the engine's JSON form (flows.md §9.1) that
// implements contactql.Contact, FlowContact and RefContact.
type jsonContact struct {
	UUIDV       string     `json:"uuid"`
	IDV         int64      `json:"id"`
	NameV       string     `json:"name"`
	LanguageV   string     `json:"language"`
	StatusV     string     `json:"status"`
	CreatedOnV  time.Time  `json:"created_on"`
	LastSeenOnV *time.Time `json:"last_seen_on"`
	URNsV       []string   `json:"urns"`
	GroupsV     []struct {
		UUID string `json:"uuid"`
		Name string `json:"name"`
	} `json:"groups"`
	FieldsV map[string]*struct {
		Text     string           `json:"text"`
		Number   *decimal.Decimal `json:"number"`
		Datetime *time.Time       `json:"datetime"`
		State    string           `json:"state"`
		District string           `json:"district"`
		Ward     string           `json:"ward"`
	} `json:"fields"`
	TicketsV []struct {
		Status string `json:"status"`
	} `json:"tickets"`
	// test-only extras
	RefV     string   `json:"ref"`
	FlowV    string   `json:"current_flow"`
	HistoryV []string `json:"flow_history"`
}

var (
	_ contactql.Contact     = (*jsonContact)(nil)
	_ contactql.FlowContact = (*jsonContact)(nil)
	_ contactql.RefContact  = (*jsonContact)(nil)
)

func (c *jsonContact) UUID() string          { return c.UUIDV }
func (c *jsonContact) ID() int64             { return c.IDV }
func (c *jsonContact) Name() string          { return c.NameV }
func (c *jsonContact) Language() string      { return c.LanguageV }
func (c *jsonContact) Status() string        { return c.StatusV }
func (c *jsonContact) CreatedOn() time.Time  { return c.CreatedOnV }
func (c *jsonContact) Ref() string           { return c.RefV }
func (c *jsonContact) CurrentFlow() string   { return c.FlowV }
func (c *jsonContact) FlowHistory() []string { return c.HistoryV }
func (c *jsonContact) LastSeenOn() (time.Time, bool) {
	if c.LastSeenOnV == nil {
		return time.Time{}, false
	}
	return *c.LastSeenOnV, true
}

func (c *jsonContact) URNs() []contactql.URN {
	var out []contactql.URN
	for _, s := range c.URNsV {
		if u, ok := contactql.ParseURN(s); ok {
			out = append(out, u)
		}
	}
	return out
}

func (c *jsonContact) Groups() []contactql.GroupRef {
	var out []contactql.GroupRef
	for _, g := range c.GroupsV {
		out = append(out, contactql.GroupRef{UUID: g.UUID, Name: g.Name})
	}
	return out
}

func (c *jsonContact) FieldValue(key string) (contactql.FieldValue, bool) {
	v := c.FieldsV[key]
	if v == nil {
		return contactql.FieldValue{}, false
	}
	return contactql.FieldValue{Text: v.Text, Number: v.Number, Datetime: v.Datetime, State: v.State, District: v.District, Ward: v.Ward}, true
}

func (c *jsonContact) OpenTickets() int {
	n := 0
	for _, t := range c.TicketsV {
		if t.Status == "open" {
			n++
		}
	}
	return n
}

// mustContact decodes a contact from JSON.
func mustContact(t *testing.T, data string) *jsonContact {
	t.Helper()
	c := &jsonContact{}
	if err := json.Unmarshal([]byte(data), c); err != nil {
		t.Fatalf("decode contact: %v", err)
	}
	return c
}
