package contactql_test

import (
	"encoding/json"
	"testing"

	"careflow/contactql"
)

// testContact is the test adapter: a contact read from the engine's JSON form, plus the
// optional ref, current flow and flow history (test-only keys) so every attribute can be tested.
type testContact struct {
	*contactql.JSONContact
	RefV     string
	FlowV    string
	HistoryV []string
}

var (
	_ contactql.Contact     = (*testContact)(nil)
	_ contactql.FlowContact = (*testContact)(nil)
	_ contactql.RefContact  = (*testContact)(nil)
)

func (c *testContact) Ref() string           { return c.RefV }
func (c *testContact) CurrentFlow() string   { return c.FlowV }
func (c *testContact) FlowHistory() []string { return c.HistoryV }

// mustContact decodes a contact from JSON.
func mustContact(t testing.TB, data string) *testContact {
	t.Helper()
	jc, err := contactql.ReadContact([]byte(data))
	if err != nil {
		t.Fatalf("decode contact: %v", err)
	}
	var extras struct {
		Ref     string   `json:"ref"`
		Flow    string   `json:"current_flow"`
		History []string `json:"flow_history"`
	}
	if err := json.Unmarshal([]byte(data), &extras); err != nil {
		t.Fatalf("decode contact: %v", err)
	}
	return &testContact{JSONContact: jc, RefV: extras.Ref, FlowV: extras.Flow, HistoryV: extras.History}
}
