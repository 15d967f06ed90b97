package api_test

import (
	"strings"
	"testing"

	. "careflow/internal/testserver"
)

// TestGlobalsGroupsFields: create, update, list shapes and the 400s of bad bodies, with
// nothing written by a refused one.
func TestGlobalsGroupsFields(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		c := newClient(t, s)

		g := obj(c.expect("POST", "/api/v2/globals.json", map[string]any{"name": "Org Name", "value": "Acme"}, 201, nil))
		hasKeys(t, "global", g, "key", "name", "value", "modified_on")
		if g["key"] != "org_name" || g["name"] != "Org Name" || g["value"] != "Acme" {
			t.Fatalf("global: %v", g)
		}
		c.expect("POST", "/api/v2/globals.json?key=org_name", map[string]any{"value": "Acme Ltd"}, 200, nil)
		c.expect("POST", "/api/v2/globals.json?key=nope", map[string]any{"value": "x"}, 404, map[string]string{"detail": "Not found."})
		for _, tc := range []struct {
			body any
			want string
		}{
			{map[string]any{"value": "x"}, `{"non_field_errors":["Name is required when creating new global."]}`},
			{map[string]any{"name": "Bad!", "value": "x"}, `{"name":["Name contains illegal characters."]}`},
			{map[string]any{"name": "123", "value": "x"}, `{"name":["Name creates Key that is invalid"]}`},
			{map[string]any{"name": "Ok"}, `{"value":["This field is required."]}`},
			{map[string]any{"name": "Ok", "value": strings.Repeat("v", 10001)}, `{"value":["Ensure this field has no more than 10000 characters."]}`},
			{map[string]any{"name": "Ok", "value": "x", "colour": 1}, `{"colour":["This field is not allowed."]}`},
		} {
			st, _, out := c.do("POST", "/api/v2/globals.json", tc.body)
			if b, _ := marshal(out); st != 400 || b != tc.want {
				t.Fatalf("global %v: %d %s, want %s", tc.body, st, b, tc.want)
			}
		}
		page := obj(c.expect("GET", "/api/v2/globals.json", nil, 200, nil))
		if r := list(page["results"]); len(r) != 1 || obj(r[0])["value"] != "Acme Ltd" || page["next"] != nil {
			t.Fatalf("globals: %v", page)
		}

		grp := obj(c.expect("POST", "/api/v2/groups.json", map[string]any{"name": "Reporters"}, 201, nil))
		hasKeys(t, "group", grp, "uuid", "name", "query", "status", "system", "count")
		if grp["query"] != nil || grp["status"] != "ready" || grp["count"] != float64(0) || grp["system"] != false {
			t.Fatalf("group: %v", grp)
		}
		c.expect("POST", "/api/v2/groups.json", map[string]any{"name": "reporters"}, 400, map[string][]string{"name": {"Must be unique."}})
		c.expect("POST", "/api/v2/groups.json", map[string]any{"name": ""}, 400, map[string][]string{"name": {"This field may not be blank."}})
		c.expect("POST", "/api/v2/groups.json", map[string]any{"name": strings.Repeat("g", 65)}, 400, map[string][]string{"name": {"Ensure this field has no more than 64 characters."}})
		c.expect("POST", "/api/v2/groups.json?uuid="+grp["uuid"].(string), map[string]any{"name": "Reporters 2"}, 200, nil)
		byName := list(obj(c.expect("GET", "/api/v2/groups.json?name=REPORTERS%202", nil, 200, nil))["results"])
		if len(byName) != 1 || obj(byName[0])["uuid"] != grp["uuid"] {
			t.Fatalf("group by name: %v", byName)
		}
		c.expect("GET", "/api/v2/groups.json?uuid=x&name=y", nil, 400, map[string]string{"detail": "You may only specify one of the uuid, name parameters"})
		c.expect("DELETE", "/api/v2/groups.json?uuid="+grp["uuid"].(string), nil, 204, nil)
		c.expect("DELETE", "/api/v2/groups.json?uuid="+grp["uuid"].(string), nil, 404, nil)

		f := obj(c.expect("POST", "/api/v2/fields.json", map[string]any{"name": "Registered On", "type": "datetime"}, 201, nil))
		hasKeys(t, "field", f, "key", "name", "type", "featured", "priority", "usages", "agent_access", "label", "value_type")
		if f["key"] != "registered_on" || f["label"] != "Registered On" || f["value_type"] != "datetime" {
			t.Fatalf("field: %v", f)
		}
		c.expect("POST", "/api/v2/fields.json?key=registered_on", map[string]any{"name": "Registered", "type": "text"}, 200, nil)
		for _, tc := range []struct {
			body any
			want string
		}{
			{map[string]any{"name": "Language", "type": "text"}, `{"name":["Generated key \"language\" is invalid or a reserved name."]}`},
			{map[string]any{"name": "Registered", "type": "text"}, `{"name":["Must be unique."]}`},
			{map[string]any{"name": "Shoe", "type": "colour"}, `{"type":["\"colour\" is not a valid choice."]}`},
			{map[string]any{"name": "Shoe!", "type": "text"}, `{"name":["Can only contain letters, numbers and hypens."]}`},
			{map[string]any{"type": "text"}, `{"name":["This field is required."]}`},
		} {
			st, _, out := c.do("POST", "/api/v2/fields.json", tc.body)
			if b, _ := marshal(out); st != 400 || b != tc.want {
				t.Fatalf("field %v: %d %s, want %s", tc.body, st, b, tc.want)
			}
		}
		fields := list(obj(c.expect("GET", "/api/v2/fields.json", nil, 200, nil))["results"])
		if len(fields) != 1 || obj(fields[0])["type"] != "text" {
			t.Fatalf("fields: %v", fields)
		}
	})
}

// TestReadEndpoints: flows, runs, messages, broadcasts, channels and definitions after a
// conversation, in RapidPro's shapes.
func TestReadEndpoints(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		c := newClient(t, s)
		ask := &Flow{Name: "Colors", Nodes: []*Node{
			{Actions: []map[string]any{Say("Favourite colour?")}, Next: map[string]int{"*": 1}},
			{Wait: true, Result: "Color", Cases: []Case{Word("red", "Red"), Word("blue", "Blue")}, Next: map[string]int{"Red": 2, "Blue": 2}},
			{Actions: []map[string]any{Say("Nice")}},
		}}
		s.Import(Export(ask))
		start := obj(c.expect("POST", "/api/v2/flow_starts.json", map[string]any{"flow": ask.UUID, "urns": []string{"tel:+254700000050"}}, 201, nil))
		p := s.Phone("+254700000050")
		p.Expect(1)
		p.Send("blue")
		p.Expect(1)
		s.Idle()

		flows := list(obj(c.expect("GET", "/api/v2/flows.json", nil, 200, nil))["results"])
		fl := obj(flows[0])
		hasKeys(t, "flow", fl, "uuid", "name", "type", "archived", "labels", "expires", "runs", "results", "parent_refs", "created_on", "modified_on")
		if fl["type"] != "message" || obj(fl["runs"])["completed"] != float64(1) || obj(list(fl["results"])[0])["key"] != "color" {
			t.Fatalf("flow: %v", fl)
		}
		c.expect("GET", "/api/v2/flows.json?type=voice", nil, 200, map[string]any{"next": nil, "previous": nil, "results": []any{}})

		runs := list(obj(c.expect("GET", "/api/v2/runs.json?flow="+ask.UUID, nil, 200, nil))["results"])
		if len(runs) != 1 {
			t.Fatalf("runs: %v", runs)
		}
		run := obj(runs[0])
		hasKeys(t, "run", run, "id", "uuid", "flow", "contact", "start", "responded", "path", "values", "created_on", "modified_on", "exited_on", "exit_type")
		if run["exit_type"] != "completed" || run["responded"] != true || obj(run["start"])["uuid"] != start["uuid"] ||
			obj(obj(run["values"])["color"])["category"] != "Blue" || len(list(run["path"])) != 3 || obj(run["contact"])["urn"] != "tel:+254700000050" {
			t.Fatalf("run: %v", run)
		}
		isDate(t, "exited_on", run["exited_on"])
		noPath := obj(list(obj(c.expect("GET", "/api/v2/runs.json?paths=false", nil, 200, nil))["results"])[0])
		if noPath["path"] != nil {
			t.Fatalf("paths=false: %v", noPath["path"])
		}
		c.expect("GET", "/api/v2/runs.json?flow="+ask.UUID+"&contact="+ask.UUID, nil, 400, map[string]string{"detail": "You may only specify one of the contact, flow parameters"})

		msgs := list(obj(c.expect("GET", "/api/v2/messages.json", nil, 200, nil))["results"])
		if len(msgs) != 3 {
			t.Fatalf("messages: %v", msgs)
		}
		in := obj(msgs[1])
		hasKeys(t, "message", in, "uuid", "id", "type", "channel", "contact", "urn", "text", "attachments", "quick_replies", "archived",
			"broadcast", "created_on", "direction", "flow", "labels", "media", "modified_on", "sent_on", "status", "visibility")
		if in["direction"] != "in" || in["text"] != "blue" || in["status"] != "handled" || obj(in["flow"])["name"] != "Colors" {
			t.Fatalf("incoming: %v", in)
		}
		flowsFolder := list(obj(c.expect("GET", "/api/v2/messages.json?folder=flows", nil, 200, nil))["results"])
		if len(flowsFolder) != 1 {
			t.Fatalf("flows folder: %v", flowsFolder)
		}
		c.expect("GET", "/api/v2/messages.json?folder=nonsense", nil, 200, map[string]any{"next": nil, "previous": nil, "results": []any{}})

		bc := obj(c.expect("POST", "/api/v2/broadcasts.json", map[string]any{"urns": []string{"tel:+254700000050"}, "text": "Hello all"}, 201, nil))
		hasKeys(t, "broadcast", bc, "uuid", "id", "status", "progress", "urns", "contacts", "groups", "text", "attachments", "quick_replies", "base_language", "created_on")
		if obj(bc["text"])["eng"] != "Hello all" || bc["base_language"] != "eng" {
			t.Fatalf("broadcast: %v", bc)
		}
		if got := p.Expect(1); got[0] != "Hello all" {
			t.Fatalf("broadcast text: %q", got)
		}
		c.expect("POST", "/api/v2/broadcasts.json", map[string]any{"text": "x"}, 400, map[string][]string{"non_field_errors": {"Must provide either urns, contacts or groups."}})
		c.expect("POST", "/api/v2/broadcasts.json", map[string]any{"urns": []string{"tel:+254700000050"}}, 400, map[string][]string{"non_field_errors": {"Must provide either text or attachments."}})
		c.expect("POST", "/api/v2/broadcasts.json", map[string]any{"urns": []string{"tel:+254700000050"}, "text": map[string]string{"english": "x"}}, 400, nil)
		if n := len(list(obj(c.expect("GET", "/api/v2/broadcasts.json", nil, 200, nil))["results"])); n != 1 {
			t.Fatalf("broadcasts listed: %d", n)
		}

		chans := list(obj(c.expect("GET", "/api/v2/channels.json", nil, 200, nil))["results"])
		hasKeys(t, "channel", obj(chans[0]), "uuid", "name", "address", "type", "country", "device", "last_seen", "created_on")

		def := obj(c.expect("GET", "/api/v2/definitions.json?flow="+ask.UUID, nil, 200, nil))
		if def["version"] != "13" || len(list(def["flows"])) != 1 {
			t.Fatalf("definitions: %v", def)
		}
		c.expect("GET", "/api/v2/definitions.json?dependencies=some", nil, 400, map[string]string{"detail": "dependencies must be one of none, flows, all"})
		c.expect("POST", "/api/v2/definitions.json", `{"version":"13","flows":[{"uuid":"x","name":"Bad","spec_version":"13.1.0","nodes":[{"uuid":"n"}]}]}`, 400, nil)
	})
}
