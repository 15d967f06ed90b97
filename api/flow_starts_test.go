package api_test

import (
	"regexp"
	"strings"
	"testing"

	. "careflow/internal/testserver"
)

func greeter(name, text string) *Flow {
	return &Flow{Name: name, Nodes: []*Node{{Actions: []map[string]any{Say(text)}}}}
}

// TestFlowStarts: the CHT payload (urns and extra) starts the flow with @trigger.params, the
// start's shape on POST and GET, and every bad body refused with RapidPro's 400, nothing
// started.
func TestFlowStarts(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		c := newClient(t, s)
		f := greeter("Greeter", "Hi @trigger.params.name, since @trigger.params.self_quarantine_enrollment")
		s.Import(Export(f))
		group := obj(c.expect("POST", "/api/v2/groups.json", map[string]any{"name": "Patients"}, 201, nil))

		out := obj(c.expect("POST", "/api/v2/flow_starts.json", map[string]any{
			"flow": f.UUID, "urns": []string{"tel:+254700000001"},
			"extra": map[string]any{"self_quarantine_enrollment": "4-12-2026 10:30", "name": "Achieng", "bad key!": nil},
		}, 201, nil))
		hasKeys(t, "start", out, "uuid", "flow", "status", "progress", "groups", "contacts", "params", "created_on",
			"modified_on", "id", "extra", "restart_participants", "exclude_active")
		if out["status"] != "pending" || out["restart_participants"] != true || out["exclude_active"] != false {
			t.Fatalf("start: %v", out)
		}
		if p := obj(out["params"]); p["name"] != "Achieng" || p["bad_key_"] != "" {
			t.Fatalf("params (normalised extra): %v", out["params"])
		}
		if fl := obj(out["flow"]); fl["uuid"] != f.UUID || fl["name"] != "Greeter" {
			t.Fatalf("flow ref: %v", out["flow"])
		}
		isDate(t, "created_on", out["created_on"])
		if got := s.Phone("+254700000001").Expect(1); got[0] != "Hi Achieng, since 4-12-2026 10:30" {
			t.Fatalf("message: %q", got)
		}

		// GET lists the start, with its progress once resolved.
		s.Idle()
		page := obj(c.expect("GET", "/api/v2/flow_starts.json?uuid="+out["uuid"].(string), nil, 200, nil))
		if page["next"] != nil || page["previous"] != nil || len(list(page["results"])) != 1 {
			t.Fatalf("list: %v", page)
		}
		got := obj(list(page["results"])[0])
		if got["status"] != "completed" || obj(got["progress"])["total"] != float64(1) || obj(got["progress"])["started"] != float64(1) {
			t.Fatalf("listed start: %v", got)
		}
		c.expect("GET", "/api/v2/flow_starts.json?uuid=nope", nil, 400, map[string]string{"detail": "Param 'uuid': nope is not a valid UUID."})

		// Groups by name, params over extra, booleans as strings and numbers.
		out = obj(c.expect("POST", "/api/v2/flow_starts.json", map[string]any{
			"flow": f.UUID, "groups": []string{"patients"}, "params": map[string]any{"name": "X"},
			"extra": map[string]any{"name": "ignored"}, "restart_participants": "false", "exclude_active": 1,
		}, 201, nil))
		if obj(list(out["groups"])[0])["uuid"] != group["uuid"] || obj(out["params"])["name"] != "X" ||
			out["restart_participants"] != false || out["exclude_active"] != true {
			t.Fatalf("start with group: %v", out)
		}

		before := len(list(obj(c.expect("GET", "/api/v2/flow_starts.json", nil, 200, nil))["results"]))
		many := make([]string, 101)
		for i := range many {
			many[i] = "tel:+2547000001" + strings.Repeat("0", 2-len(itoa(i%100))) + itoa(i%100)
		}
		for _, tc := range []struct {
			name string
			body any
			want string
		}{
			{"NoFlow", map[string]any{"urns": []string{"tel:+254700000001"}}, `{"flow":["This field is required."]}`},
			{"UnknownFlow", map[string]any{"flow": "5f05311e-8f81-4a67-a5b5-1501b6d6496a", "urns": []string{"tel:+254700000001"}},
				`{"flow":["No such object: 5f05311e-8f81-4a67-a5b5-1501b6d6496a"]}`},
			{"NoRecipients", map[string]any{"flow": f.UUID}, `{"non_field_errors":["Must specify at least one group, contact or URN"]}`},
			{"UnknownContact", map[string]any{"flow": f.UUID, "contacts": []string{"5f05311e-8f81-4a67-a5b5-000000000000"}},
				`{"contacts":["No such object: 5f05311e-8f81-4a67-a5b5-000000000000"]}`},
			{"UnknownGroup", map[string]any{"flow": f.UUID, "groups": []string{"Nobody"}}, `{"groups":["No such object: Nobody"]}`},
			{"BadURN", map[string]any{"flow": f.UUID, "urns": []string{"tel:+254700000001", "foo:bar"}},
				`{"urns":{"1":["Invalid URN: foo:bar. Ensure phone numbers contain country codes."]}}`},
			{"TooManyURNs", map[string]any{"flow": f.UUID, "urns": many}, `{"urns":["Ensure this field has no more than 100 elements."]}`},
			{"URNsNotAList", map[string]any{"flow": f.UUID, "urns": "tel:+254700000001"}, `{"urns":["Expected a list of items but got type \"str\"."]}`},
			{"ParamsNotObject", map[string]any{"flow": f.UUID, "urns": []string{"tel:+254700000001"}, "params": []int{1}},
				`{"params":["Must be a valid JSON object"]}`},
			{"ParamsTooBig", map[string]any{"flow": f.UUID, "urns": []string{"tel:+254700000001"}, "params": map[string]string{"x": strings.Repeat("a", 10001)}},
				`{"params":["Cannot exceed 10,000 characters encoded."]}`},
			{"BadBoolean", map[string]any{"flow": f.UUID, "urns": []string{"tel:+254700000001"}, "exclude_active": "maybe"},
				`{"exclude_active":["Must be a valid boolean."]}`},
			{"FlowWrongType", map[string]any{"flow": 12, "urns": []string{"tel:+254700000001"}}, `{"flow":["Not a valid string."]}`},
			{"UnknownField", map[string]any{"flow": f.UUID, "urns": []string{"tel:+254700000001"}, "flows": "x"}, `{"flows":["This field is not allowed."]}`},
			{"NotAnObject", []int{1, 2}, `{"non_field_errors":["Request body should be a single JSON object"]}`},
			{"Malformed", `{"flow": `, ""},
			{"TooDeep", strings.Repeat("[", 40) + strings.Repeat("]", 40), `{"detail":"JSON parse error - nested deeper than 32 levels"}`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				st, _, out := c.do("POST", "/api/v2/flow_starts.json", tc.body)
				b, _ := marshal(out)
				if st != 400 || (tc.want != "" && b != tc.want) || (tc.want == "" && !strings.HasPrefix(obj(out)["detail"].(string), "JSON parse error - ")) {
					t.Fatalf("got %d %s, want 400 %s", st, b, tc.want)
				}
			})
		}
		after := len(list(obj(c.expect("GET", "/api/v2/flow_starts.json", nil, 200, nil))["results"]))
		if after != before {
			t.Fatalf("refused starts were written: %d → %d", before, after)
		}
		c.expect("POST", "/api/v2/flow_starts.json", "x=1", 400, nil)
		st, _, _ := c.do("POST", "/api/v2/flow_starts.json", nil)
		if st != 400 {
			t.Fatalf("empty body: %d", st)
		}
	})
}

var dateRe = regexp.MustCompile(`^Hello Mwangi, enrolled \d{1,2}-\d{1,2}-\d{4} \d{1,2}:\d{1,2}$`)
