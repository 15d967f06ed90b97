package pre11

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// counter makes predictable UUIDs for the steps that create them.
func counter() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }
}

func decode(t *testing.T, src string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(src), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestV7Templates(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Dear @contact.first_name|title_case", "Dear @(PROPER(contact.first_name))"},
		{"@flow.town|upper_case|first_word!", "@(FIRST_WORD(UPPER(flow.town)))!"},
		{`Due @date.today|time_delta:"-2"`, "Due @(date.today - 2)"},
		{"You are =contact.age.", "You are @contact.age."},
		{"Pay =(flow.amount * 2) now", "Pay @(flow.amount * 2) now"},
		{"Total =SUM(flow.a, 1)", "Total @(SUM(flow.a, 1))"},
		{`=IF("@flow.ok" = "yes", 1, 0)`, `@(IF(flow.ok = "yes", 1, 0))`},
		{"1+1=2 and x=y", "1+1=2 and x=y"},               // not expressions
		{"=unknown.thing stays", "=unknown.thing stays"}, // not a context root
		{"plain @contact.name", "plain @contact.name"},
	}
	for _, tc := range cases {
		if got := migrateV7Template(tc.in); got != tc.want {
			t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLanguageCodes(t *testing.T) {
	export := decode(t, `{"flows": [{"base_language": "ger", "action_sets": [{"actions": [
		{"type": "reply", "msg": {"base": "Hi", "ger": "Hallo", "fre": "Salut"}},
		{"type": "reply", "msg": {"ger": "Hallo", "rw": "Muraho"}},
		{"type": "lang", "lang": "dut"},
		{"type": "reply", "msg": {"eng": "Hi", "xtra": "kept as is"}}]}]}]}`)
	m := &migrator{newUUID: counter()}
	if err := m.languageCodes(export); err != nil {
		t.Fatal(err)
	}
	if err := m.baseLanguage(export); err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(export)
	for _, want := range []string{`"base_language":"deu"`, `"deu":"Hallo"`, `"fra":"Salut"`, `"base":"Hi"`,
		`"ger":"Hallo","rw":"Muraho"`, // a two-letter key: not a translation map to RapidPro
		`"lang":"nld"`, `"eng":"Hi","xtra":"kept as is"`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("missing %s in %s", want, got)
		}
	}
	bad := decode(t, `{"flows": [{"base_language": "zzz"}]}`)
	if err := m.baseLanguage(bad); err == nil {
		t.Error("an unknown language code was accepted")
	}
}

func TestWebhookResultsBecomeExtra(t *testing.T) {
	f := decode(t, `{"rule_sets": [
		{"label": "Lookup", "ruleset_type": "webhook", "operand": "@step.value", "config": {"webhook": "http://x.org/?q=@flow.lookup"}, "rules": []},
		{"label": "Answer", "ruleset_type": "wait_message", "operand": "@(flow.lookup & flow.lookup.category)", "rules": []},
		{"label": "Check", "ruleset_type": "flow_field", "operand": "@flow.lookup.value", "rules": []}],
	 "action_sets": [{"actions": [{"type": "reply", "msg": {"eng": "@flow.lookup / @flow.lookup.value / @flow.lookup.category / @flow.answer"}}]}]}`)
	m := &migrator{newUUID: counter()}
	f, _ = m.webhookResults(f)
	msg := obj(actions(f)[0]["msg"])["eng"]
	if msg != "@extra.lookup / @extra.lookup / @flow.lookup.category / @flow.answer" {
		t.Errorf("message %q", msg)
	}
	rs := objects(f["rule_sets"])
	if rs[1]["operand"] != "@(extra.lookup & flow.lookup.category)" || obj(rs[0]["config"])["webhook"] != "http://x.org/?q=@extra.lookup" {
		t.Errorf("operand %v, webhook %v", rs[1]["operand"], obj(rs[0]["config"])["webhook"])
	}
	if rs[2]["operand"] != "@extra.lookup" || rs[2]["ruleset_type"] != "expression" {
		t.Errorf("flow field split: %v %v, want an expression on @extra.lookup", rs[2]["operand"], rs[2]["ruleset_type"])
	}
}

func TestNonWaitTextIsInput(t *testing.T) {
	f := decode(t, `{"rule_sets": [{"label": "Asked", "ruleset_type": "wait_message"}, {"label": "Sorted", "ruleset_type": "expression"}],
	 "action_sets": [{"actions": [{"type": "send", "msg": {"eng": "@flow.asked.text @flow.sorted.text @flow.sorted", "fra": null}}]}]}`)
	f, _ = (&migrator{}).nonWaitText(f)
	msg := obj(actions(f)[0]["msg"])
	if msg["eng"] != "@flow.asked.text @step.value @flow.sorted" || msg["fra"] != "" {
		t.Errorf("texts %q", msg)
	}
}

// TestPassiveRulesets: a version 4 split that waited implicitly and called a webhook becomes
// a wait, a webhook and the split, in that order.
func TestPassiveRulesets(t *testing.T) {
	f := decode(t, `{"definition": {"base_language": "eng", "action_sets": [],
	 "rule_sets": [{"uuid": "rs-1", "label": "Size", "y": 100, "response_type": "C", "operand": "@step.value|upper_case",
	  "webhook": "http://x.org/size", "webhook_action": "GET",
	  "rules": [{"uuid": "r-1", "category": {"eng": "Big"}, "test": {"type": "contains", "test": {"eng": "BIG"}}, "destination": "as-9", "config": {}},
	   {"uuid": "r-2", "category": {"eng": "Other"}, "test": {"type": "true"}, "destination": "as-9"}]}]}}`)
	m := &migrator{newUUID: counter()}
	f, _ = m.passiveRulesets(f)
	byUUID := map[string]map[string]any{}
	for _, rs := range objects(obj(f["definition"])["rule_sets"]) {
		byUUID[str(rs["uuid"])] = rs
	}
	wait := byUUID["rs-1"] // the first node keeps the UUID others lead to
	if wait["ruleset_type"] != "wait_message" || len(list(wait["rules"])) != 1 {
		t.Fatalf("first node %v", wait)
	}
	hook := byUUID[str(objects(wait["rules"])[0]["destination"])]
	if hook == nil || hook["ruleset_type"] != "webhook" || hook["webhook"] != "http://x.org/size" || hook["label"] != "Size Webhook" {
		t.Fatalf("second node %v", hook)
	}
	split := byUUID[str(objects(hook["rules"])[0]["destination"])]
	if split == nil || split["ruleset_type"] != "expression" || split["operand"] != "@step.value|upper_case" || len(list(split["rules"])) != 2 {
		t.Fatalf("third node %v", split)
	}
	if _, ok := objects(split["rules"])[0]["config"]; ok {
		t.Error("rule config kept")
	}
}

func TestFormatDatesWrapsDatesAndLocations(t *testing.T) {
	export := decode(t, `{"fields": [{"key": "born", "type": "datetime"}, {"key": "village", "value_type": "W"}, {"key": "nick", "type": "text"}],
	 "flows": [{"rule_sets": [{"label": "Visit", "rules": [{"test": {"type": "date_after"}}, {"test": {"type": "true"}}]},
	   {"label": "Home", "rules": [{"test": {"type": "district"}}]}],
	  "action_sets": [{"actions": [{"type": "reply", "msg": {"eng": "@date @flow.visit, @flow.visit.category in @flow.home. @contact.born @contact.village @contact.nick @flow.visit.time"}}]}]}]}`)
	if err := (&migrator{}).formatDates(export); err != nil {
		t.Fatal(err)
	}
	want := "@(format_date(date)) @(format_date(flow.visit)), @flow.visit.category in @(format_location(flow.home)). " +
		"@(format_date(contact.born)) @(format_location(contact.village)) @contact.nick @(format_date(flow.visit.time))"
	if got := obj(actions(objects(export["flows"])[0])[0]["msg"])["eng"]; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestMigrateExportVersions(t *testing.T) {
	export := decode(t, `{"version": "10.4", "flows": [{"flow_type": "M", "base_language": "eng", "metadata": {"uuid": "f-1"},
	 "action_sets": [{"uuid": "as-1", "exit_uuid": "ex-1", "actions": [{"uuid": "a-1", "type": "reply", "msg": {"eng": "Hi", "fre": "Salut"}}]}], "rule_sets": [
	  {"uuid": "rs-1", "label": "A", "ruleset_type": "wait_message", "rules": [{"uuid": "dup"}, {"uuid": "dup"}]}]}]}`)
	if err := MigrateExport(export, counter()); err != nil {
		t.Fatal(err)
	}
	f := objects(export["flows"])[0]
	if f["version"] != Final {
		t.Errorf("flow at version %v, want %s", f["version"], Final)
	}
	rules := objects(objects(f["rule_sets"])[0]["rules"])
	if rules[0]["uuid"] == rules[1]["uuid"] {
		t.Error("duplicate rule UUIDs kept (11.8)")
	}
	if obj(actions(f)[0]["msg"])["fra"] != "Salut" {
		t.Errorf("translation not moved to ISO 639-3 (11.1): %v", actions(f)[0]["msg"])
	}
	for _, v := range []any{"2", 1.0, "x"} {
		if err := MigrateExport(map[string]any{"version": v, "flows": []any{}}, counter()); err == nil {
			t.Errorf("version %v accepted", v)
		}
	}
}
