package flow_test

import (
	"encoding/json"
	"strings"
	"testing"

	"careflow/flow"
)

// v4Export is a 2014-style export of our own: the flow nested under "definition", texts not
// localized, a rule set that waited implicitly (response_type, operand @step.value), actions
// without UUIDs and action sets without exit UUIDs, an old filter-style expression and an
// equals-style one.
const v4Export = `{"version": 4, "flows": [{"name": "Clinic Visit", "id": 42, "uuid": "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "flow_type": "F",
 "definition": {"entry": "aa000000-0000-4000-8000-000000000001",
  "action_sets": [
   {"uuid": "aa000000-0000-4000-8000-000000000001", "x": 0, "y": 0, "destination": "bb000000-0000-4000-8000-000000000001",
    "actions": [{"type": "reply", "msg": "Hi @contact.first_name|upper_case, when is your visit?"}]},
   {"uuid": "aa000000-0000-4000-8000-000000000002", "x": 0, "y": 300,
    "actions": [{"type": "reply", "msg": "See you =(flow.visit)!"}, {"type": "add_group", "groups": [{"id": 7, "name": " visits"}]}]}],
  "rule_sets": [
   {"uuid": "bb000000-0000-4000-8000-000000000001", "x": 0, "y": 150, "label": "Visit", "response_type": "C", "operand": "@step.value",
    "rules": [{"uuid": "cc000000-0000-4000-8000-000000000001", "category": "All Responses", "test": {"type": "true"},
      "destination": "aa000000-0000-4000-8000-000000000002"}]}]}}]}`

func TestPre11ExportReads(t *testing.T) {
	flows, err := flow.ReadConfig{}.ReadAll([]byte(v4Export))
	if err != nil {
		t.Fatal(err)
	}
	if len(flows) != 1 {
		t.Fatalf("%d flows, want 1", len(flows))
	}
	f := flows[0]
	if f.Name != "Clinic Visit" || len(f.Nodes) != 3 {
		t.Fatalf("flow %q with %d nodes, want Clinic Visit with 3", f.Name, len(f.Nodes))
	}
	if f.Nodes[1].Router == nil || f.Nodes[1].Router.Wait == nil {
		t.Errorf("the implicit wait of version 4 is not a wait: %s", mustJSON(t, f.Nodes[1]))
	}
	all := mustJSON(t, f)
	for _, want := range []string{
		`Hi @(upper(contact.first_name)), when is your visit?`, // filter style
		`See you @results.visit!`,                              // equals style, then legacy conversion
		`"name":"Contacts  visits"`,                            // group names cleansed
	} {
		if !strings.Contains(all, want) {
			t.Errorf("migrated flow lacks %s:\n%s", want, all)
		}
	}
}

// TestPre11Refused: what careflow can't read is refused with the version it saw, never read
// as flows without nodes.
func TestPre11Refused(t *testing.T) {
	cases := []struct{ name, doc, err string }{
		{"ExportTooOld", `{"version": 2, "flows": [{"definition": {"action_sets": [], "rule_sets": []}}]}`, "unsupported export version 2"},
		{"ExportVersionNotNumber", `{"version": "v5", "flows": []}`, `version "v5" is not a number`},
		{"DefinitionVersionNotNumber", `{"version": "nine", "definition": {}}`, `unsupported flow version: version "nine" is not a number`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := flow.ReadConfig{}.ReadAll([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %v, want one with %q", err, tc.err)
			}
		})
	}
}

// TestPre11WebhookActionSplit: an 11.6 action set with a webhook action between messages
// becomes message, webhook split, message (11.7), chained in order.
func TestPre11WebhookActionSplit(t *testing.T) {
	doc := `{"version": "11.6", "flows": [{"version": "11.6", "flow_type": "M", "base_language": "eng",
	 "metadata": {"uuid": "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f1", "name": "Hooked", "revision": 1, "expires": 10080},
	 "entry": "aa000000-0000-4000-8000-000000000011", "rule_sets": [],
	 "action_sets": [{"uuid": "aa000000-0000-4000-8000-000000000011", "x": 0, "y": 0, "exit_uuid": "dd000000-0000-4000-8000-000000000011",
	  "actions": [
	   {"type": "reply", "uuid": "ee000000-0000-4000-8000-000000000001", "msg": {"eng": "Checking"}},
	   {"type": "api", "uuid": "ee000000-0000-4000-8000-000000000002", "webhook": "http://example.com/check", "action": "GET"},
	   {"type": "reply", "uuid": "ee000000-0000-4000-8000-000000000003", "msg": {"eng": "Done"}}]}]}]}`
	flows, err := flow.ReadConfig{}.ReadAll([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	nodes := flows[0].Nodes
	if len(nodes) != 3 {
		t.Fatalf("%d nodes, want 3: %s", len(nodes), mustJSON(t, nodes))
	}
	first := nodes[0]
	for _, n := range nodes {
		if string(n.UUID) == "aa000000-0000-4000-8000-000000000011" {
			first = n
		}
	}
	if len(first.Actions) != 1 || first.Actions[0].Type() != "send_msg" {
		t.Fatalf("chain does not start with the first message: %s", mustJSON(t, first))
	}
	hook := byUUID(nodes, string(first.Exits[0].DestinationUUID))
	if hook == nil || len(hook.Actions) != 1 || hook.Actions[0].Type() != "call_webhook" {
		t.Fatalf("second node is not the webhook: %s", mustJSON(t, hook))
	}
	last := byUUID(nodes, string(hook.Exits[0].DestinationUUID))
	if last == nil || len(last.Actions) != 1 || last.Actions[0].Type() != "send_msg" {
		t.Fatalf("third node is not the last message: %s", mustJSON(t, last))
	}
}

func byUUID(nodes []*flow.Node, uuid string) *flow.Node {
	for _, n := range nodes {
		if string(n.UUID) == uuid {
			return n
		}
	}
	return nil
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
