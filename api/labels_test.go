package api_test

import (
	"strconv"
	"testing"

	. "careflow/internal/testserver"
)

// TestLabelsAndMessageActions: labels with their counts, and message_actions on incoming
// messages by ID and UUID (label, unlabel, archive, restore, delete), failures for messages
// that do not exist and 400s for bad bodies.
func TestLabelsAndMessageActions(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		c := newClient(t, s)
		lab := obj(c.expect("POST", "/api/v2/labels.json", map[string]any{"name": "Important"}, 201, nil))
		hasKeys(t, "label", lab, "uuid", "name", "count")
		c.expect("POST", "/api/v2/labels.json", map[string]any{"name": "important"}, 400, map[string][]string{"name": {"Must be unique."}})
		c.expect("POST", "/api/v2/labels.json?uuid="+lab["uuid"].(string), map[string]any{"name": "Urgent"}, 200, nil)

		p := s.Phone("+254700000070")
		p.Send("hello there")
		c.expect("POST", "/api/v2/broadcasts.json", map[string]any{"urns": []string{"tel:+254700000070"}, "text": "Hi"}, 201, nil)
		p.Expect(1)
		s.Idle()
		msgs := list(obj(c.expect("GET", "/api/v2/messages.json", nil, 200, nil))["results"])
		var in, out map[string]any
		for _, m := range msgs {
			if obj(m)["direction"] == "in" {
				in = obj(m)
			} else {
				out = obj(m)
			}
		}
		if in == nil {
			t.Fatalf("no incoming message: %v", msgs)
		}
		id := int(in["id"].(float64))
		c.expect("POST", "/api/v2/message_actions.json", map[string]any{"messages": []int{id}, "action": "label", "label": "urgent"}, 204, nil)
		got := list(obj(c.expect("GET", "/api/v2/labels.json", nil, 200, nil))["results"])
		if len(got) != 1 || obj(got[0])["count"] != float64(1) || obj(got[0])["name"] != "Urgent" {
			t.Fatalf("labels: %v", got)
		}
		labelled := list(obj(c.expect("GET", "/api/v2/messages.json?label=Urgent", nil, 200, nil))["results"])
		if len(labelled) != 1 || obj(list(obj(labelled[0])["labels"])[0])["name"] != "Urgent" {
			t.Fatalf("labelled messages: %v", labelled)
		}
		c.expect("POST", "/api/v2/message_actions.json", map[string]any{"messages": []string{in["uuid"].(string)}, "action": "label", "label_name": "New One"}, 204, nil)
		c.expect("POST", "/api/v2/message_actions.json", map[string]any{"messages": []int{id}, "action": "unlabel", "label_name": "Urgent"}, 204, nil)
		if l := list(obj(list(obj(c.expect("GET", "/api/v2/messages.json?uuid="+in["uuid"].(string), nil, 200, nil))["results"])[0])["labels"]); len(l) != 1 || obj(l[0])["name"] != "New One" {
			t.Fatalf("labels after unlabel: %v", l)
		}
		c.expect("POST", "/api/v2/message_actions.json", map[string]any{"messages": []string{in["uuid"].(string)}, "action": "archive"}, 204, nil)
		if n := len(list(obj(c.expect("GET", "/api/v2/messages.json?folder=archived", nil, 200, nil))["results"])); n != 1 {
			t.Fatalf("archived folder: %d", n)
		}
		c.expect("POST", "/api/v2/message_actions.json", map[string]any{"messages": []int{id, 99999999}, "action": "restore"}, 200,
			map[string][]int{"failures": {99999999}})
		if n := len(list(obj(c.expect("GET", "/api/v2/messages.json?folder=archived", nil, 200, nil))["results"])); n != 0 {
			t.Fatalf("archived after restore: %d", n)
		}

		bad := []struct {
			name string
			body any
			want string
		}{
			{"Outgoing", map[string]any{"messages": []int{int(out["id"].(float64))}, "action": "archive"}, `{"messages":["Not an incoming message: ` + strconv.Itoa(int(out["id"].(float64))) + `"]}`},
			{"UnknownLabel", map[string]any{"messages": []int{id}, "action": "label", "label": "Nope"}, `{"label":["No such object: Nope"]}`},
			{"BothLabels", map[string]any{"messages": []int{id}, "action": "label", "label": "Urgent", "label_name": "X"}, `{"non_field_errors":["Can't specify both label and label_name."]}`},
			{"NoLabel", map[string]any{"messages": []int{id}, "action": "label"}, `{"non_field_errors":["For action \"label\" you should also specify a label"]}`},
			{"UnknownAction", map[string]any{"messages": []int{id}, "action": "star"}, `{"action":["\"star\" is not a valid choice."]}`},
			{"TooMany", map[string]any{"messages": make([]int, 101), "action": "archive"}, `{"messages":["Ensure this field has no more than 100 elements."]}`},
		}
		for _, tc := range bad {
			st, _, got := c.do("POST", "/api/v2/message_actions.json", tc.body)
			if b, _ := marshal(got); st != 400 || b != tc.want {
				t.Fatalf("%s: %d %s, want %s", tc.name, st, b, tc.want)
			}
		}
		if n := len(list(obj(c.expect("GET", "/api/v2/messages.json?folder=archived", nil, 200, nil))["results"])); n != 0 {
			t.Fatalf("a refused action archived: %d", n)
		}

		c.expect("POST", "/api/v2/message_actions.json", map[string]any{"messages": []int{id}, "action": "delete"}, 204, nil)
		for _, m := range list(obj(c.expect("GET", "/api/v2/messages.json", nil, 200, nil))["results"]) {
			if obj(m)["id"] == float64(id) {
				t.Fatal("deleted message listed")
			}
		}
		c.expect("DELETE", "/api/v2/labels.json?uuid="+lab["uuid"].(string), nil, 204, nil)
		if n := len(list(obj(c.expect("GET", "/api/v2/labels.json", nil, 200, nil))["results"])); n != 1 {
			t.Fatalf("labels after delete: %d", n)
		}
	})
}
