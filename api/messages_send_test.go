package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	. "careflow/internal/testserver"
)

// TestSendMessage: POST messages.json sends one message to a contact's phone; bad input is
// refused with DRF's field errors and sends nothing.
func TestSendMessage(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		c := newClient(t, s)
		p := s.Phone("+250788123001")
		p.Event("new_conversation", nil)
		s.Idle()
		contacts := list(obj(c.expect("GET", "/api/v2/contacts.json", nil, 200, nil))["results"])
		if len(contacts) != 1 {
			t.Fatalf("contacts: %v", contacts)
		}
		uuid := obj(contacts[0])["uuid"].(string)
		out := obj(c.expect("POST", "/api/v2/messages.json", map[string]any{"contact": uuid, "text": "Your results are ready",
			"quick_replies": []map[string]string{{"type": "text", "text": "Thanks"}}}, 201, nil))
		if out["direction"] != "out" || out["text"] != "Your results are ready" || out["urn"] != "tel:+250788123001" ||
			obj(out["contact"])["uuid"] != uuid {
			t.Fatalf("sent message: %v", out)
		}
		if got := p.Expect(1); got[0] != "Your results are ready" {
			t.Fatalf("phone got %q", got)
		}
		for _, tc := range []struct {
			body map[string]any
			want string
		}{
			{map[string]any{"contact": uuid}, "Must provide either text or attachments."},
			{map[string]any{"text": "hi"}, `"contact":["This field is required."]`},
			{map[string]any{"contact": "0199bb98-3637-778d-9dfc-0ab85c950d7c", "text": "hi"}, "contact"},
			{map[string]any{"contact": uuid, "text": strings.Repeat("x", 4097)}, "no more than 4096 characters"},
			{map[string]any{"contact": uuid, "text": "hi", "channel": "x"}, `"channel":["This field is not allowed."]`},
			{map[string]any{"contact": uuid, "text": "hi", "quick_replies": []map[string]string{{"type": "url", "text": "Go"}}}, "quick_replies"},
		} {
			out := c.expect("POST", "/api/v2/messages.json", tc.body, 400, nil)
			if b := jsonString(out); !strings.Contains(b, tc.want) {
				t.Fatalf("%v: %s, want %q", tc.body, b, tc.want)
			}
		}
		p.Quiet(200 * time.Millisecond)
	})
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
