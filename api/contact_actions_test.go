package api_test

import (
	"net/url"
	"testing"

	. "careflow/internal/testserver"
)

// TestContactUpdatesAndActions: updates and bulk actions go through the contact's task queue
// and the answer shows their effect: rename, fields, groups replaced, block (leaving the flow),
// unblock, group add/remove, interrupt, delete; bad bodies are refused, nothing changed.
func TestContactUpdatesAndActions(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		c := newClient(t, s)
		ask := &Flow{Name: "Ask", Nodes: []*Node{
			{Actions: []map[string]any{Say("Name?")}, Next: map[string]int{"*": 1}},
			{Wait: true, Result: "Name", Cases: []Case{Word("x", "X")}},
		}}
		s.Import(Export(ask))
		c.expect("POST", "/api/v2/fields.json", map[string]any{"name": "Town", "type": "text"}, 201, nil)
		c.expect("POST", "/api/v2/groups.json", map[string]any{"name": "A"}, 201, nil)
		c.expect("POST", "/api/v2/groups.json", map[string]any{"name": "B"}, 201, nil)
		ct := obj(c.expect("POST", "/api/v2/contacts.json", map[string]any{"name": "Ann", "urns": []string{"tel:+254700000010"}, "groups": []string{"A"}}, 201, nil))
		uuid := ct["uuid"].(string)
		c.expect("POST", "/api/v2/flow_starts.json", map[string]any{"flow": ask.UUID, "contacts": []string{uuid}}, 201, nil)
		s.Phone("+254700000010").Expect(1)
		s.Idle()

		got := obj(c.expect("POST", "/api/v2/contacts.json?uuid="+uuid, map[string]any{"name": "Ann B", "fields": map[string]any{"town": "Kisumu"}, "groups": []string{"B"}}, 200, nil))
		if got["name"] != "Ann B" || obj(got["fields"])["town"] != "Kisumu" || len(list(got["groups"])) != 1 ||
			obj(list(got["groups"])[0])["name"] != "B" || obj(got["flow"])["name"] != "Ask" || got["language"] != nil {
			t.Fatalf("updated: %v", got)
		}
		got = obj(c.expect("POST", "/api/v2/contacts.json?urn="+url.QueryEscape("tel:+254700000010"), map[string]any{"fields": map[string]any{"town": nil}}, 200, nil))
		if obj(got["fields"])["town"] != nil || got["name"] != "Ann B" {
			t.Fatalf("field cleared: %v", got)
		}
		c.expect("POST", "/api/v2/contacts.json?uuid=5f05311e-8f81-4a67-a5b5-000000000000", map[string]any{"name": "x"}, 404, map[string]string{"detail": "Not found."})

		one := func() map[string]any {
			return obj(list(obj(c.expect("GET", "/api/v2/contacts.json?uuid="+uuid, nil, 200, nil))["results"])[0])
		}
		c.expect("POST", "/api/v2/contact_actions.json", map[string]any{"contacts": []string{uuid}, "action": "block"}, 204, nil)
		// Blocking also takes the contact out of its groups, as RapidPro does.
		if got := one(); got["status"] != "blocked" || got["blocked"] != true || got["flow"] != nil || len(list(got["groups"])) != 0 {
			t.Fatalf("blocked: %v", got)
		}
		c.expect("POST", "/api/v2/contact_actions.json", map[string]any{"contacts": []string{uuid}, "action": "add", "group": "A"}, 400,
			map[string][]string{"contacts": {"Only active contacts can be added to groups"}})
		c.expect("POST", "/api/v2/contact_actions.json", map[string]any{"contacts": []string{"tel:+254700000010"}, "action": "unblock"}, 204, nil)
		c.expect("POST", "/api/v2/contact_actions.json", map[string]any{"contacts": []string{uuid}, "action": "add", "group": "A"}, 204, nil)
		if got := one(); got["status"] != "active" || len(list(got["groups"])) != 1 {
			t.Fatalf("unblocked and added: %v", got)
		}
		c.expect("POST", "/api/v2/contact_actions.json", map[string]any{"contacts": []string{uuid}, "action": "remove", "group": "A"}, 204, nil)
		if got := one(); len(list(got["groups"])) != 0 {
			t.Fatalf("removed: %v", got)
		}

		for _, tc := range []struct {
			name string
			body any
			want string
		}{
			{"UnknownAction", map[string]any{"contacts": []string{uuid}, "action": "like"}, `{"action":["\"like\" is not a valid choice."]}`},
			{"AddWithoutGroup", map[string]any{"contacts": []string{uuid}, "action": "add"}, `{"non_field_errors":["For action \"add\" you should also specify a group"]}`},
			{"BlockWithGroup", map[string]any{"contacts": []string{uuid}, "action": "block", "group": "A"}, `{"non_field_errors":["For action \"block\" you should not specify a group"]}`},
			{"EmptyContacts", map[string]any{"contacts": []string{}, "action": "block"}, `{"contacts":["Contacts can't be empty."]}`},
			{"UnknownContact", map[string]any{"contacts": []string{"tel:+254799999999"}, "action": "block"}, `{"contacts":["No such object: tel:+254799999999"]}`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				st, _, out := c.do("POST", "/api/v2/contact_actions.json", tc.body)
				b, _ := marshal(out)
				if st != 400 || b != tc.want {
					t.Fatalf("got %d %s, want %s", st, b, tc.want)
				}
			})
		}
		if got := one(); got["status"] != "active" {
			t.Fatalf("a refused action changed the contact: %v", got)
		}

		c.expect("POST", "/api/v2/contact_actions.json", map[string]any{"contacts": []string{uuid}, "action": "interrupt"}, 204, nil)
		c.expect("DELETE", "/api/v2/contacts.json", nil, 400, map[string]string{"detail": "URL must contain one of the following parameters: urn, uuid"})
		c.expect("DELETE", "/api/v2/contacts.json?uuid="+uuid, nil, 204, nil)
		c.expect("DELETE", "/api/v2/contacts.json?uuid="+uuid, nil, 404, map[string]string{"detail": "Not found."})
		if res := list(obj(c.expect("GET", "/api/v2/contacts.json?uuid="+uuid, nil, 200, nil))["results"]); len(res) != 0 {
			t.Fatalf("deleted contact listed: %v", res)
		}
	})
}
