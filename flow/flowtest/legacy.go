package flowtest

import (
	"encoding/json"
	"fmt"

	"careflow/flow"
	"careflow/flow/legacy"
	"careflow/flow/migrate"
)

// LegacyBaseMediaURL is the media base URL the legacy fixtures were converted with.
const LegacyBaseMediaURL = "https://myfiles.com"

// LegacyHolders are the wrapper legacy flows of legacy/_holders.json, each with the placeholder
// string to replace by the case's legacy item.
type LegacyHolders struct {
	Action  LegacyHolder `json:"action"`
	Test    LegacyHolder `json:"test"`
	RuleSet LegacyHolder `json:"ruleset"`
}

// LegacyHolder is one wrapper flow.
type LegacyHolder struct {
	Definition json.RawMessage `json:"definition"`
}

// LegacyCase is one case of any legacy fixture file; only the fields of its kind are set.
type LegacyCase struct {
	Description string `json:"description"`
	// flows.json
	Legacy   json.RawMessage `json:"legacy"`
	Expected json.RawMessage `json:"expected"`
	// actions.json
	LegacyAction   json.RawMessage `json:"legacy_action"`
	LegacyFlowType string          `json:"legacy_flow_type"`
	ExpectedAction json.RawMessage `json:"expected_action"`
	// tests.json
	LegacyTest   json.RawMessage `json:"legacy_test"`
	ExpectedCase json.RawMessage `json:"expected_case"`
	// rulesets.json
	LegacyRuleSet json.RawMessage `json:"legacy_ruleset"`
	ExpectedNode  json.RawMessage `json:"expected_node"`
	// actions, tests and rulesets
	ExpectedLocalization json.RawMessage `json:"expected_localization"`
	ExpectedUI           json.RawMessage `json:"expected_ui"`
}

// Name returns a readable name for the case.
func (c LegacyCase) Name(i int) string {
	if c.Description != "" {
		return fmt.Sprintf("[%d] %s", i, c.Description)
	}
	var head struct {
		Type string `json:"type"`
		Rs   string `json:"ruleset_type"`
	}
	for _, raw := range []json.RawMessage{c.LegacyAction, c.LegacyTest, c.LegacyRuleSet} {
		if len(raw) > 0 {
			_ = json.Unmarshal(raw, &head)
		}
	}
	return fmt.Sprintf("[%d] %s%s", i, head.Type, head.Rs)
}

// convertLegacy converts a legacy definition with the fixture settings.
func convertLegacy(def []byte, exprs legacy.ExprMigrator) (map[string]any, error) {
	f, err := migrate.Decode(def)
	if err != nil {
		return nil, err
	}
	if exprs == nil {
		exprs = flow.DefaultLegacyExpressions
	}
	out, err := legacy.Convert(f, legacy.Config{NewUUID: migrate.SeededUUIDs(f), BaseMediaURL: LegacyBaseMediaURL, Expressions: exprs})
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(out)
	v, err := Decode(b)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

// CheckLegacyFlow converts a flows.json case and compares the whole 13.0.0 definition.
func CheckLegacyFlow(c LegacyCase, exprs legacy.ExprMigrator) []string {
	got, err := convertLegacy(c.Legacy, exprs)
	if err != nil {
		return []string{"converting: " + err.Error()}
	}
	want, err := Decode(c.Expected)
	if err != nil {
		return []string{"bad fixture: " + err.Error()}
	}
	return NewComparer(c.Legacy).Diff(want, got)
}

// CheckLegacyItem wraps an action, test or rule set case in its holder flow, converts it and
// compares the parts the case names.
func CheckLegacyItem(c LegacyCase, h LegacyHolders, exprs legacy.ExprMigrator) []string {
	var holder LegacyHolder
	var placeholder string
	var item json.RawMessage
	switch {
	case len(c.LegacyAction) > 0:
		holder, placeholder, item = h.Action, "<<LEGACY_ACTION>>", c.LegacyAction
	case len(c.LegacyTest) > 0:
		holder, placeholder, item = h.Test, "<<LEGACY_TEST>>", c.LegacyTest
	case len(c.LegacyRuleSet) > 0:
		holder, placeholder, item = h.RuleSet, "<<LEGACY_RULESET>>", c.LegacyRuleSet
	default:
		return []string{"case has no legacy item"}
	}
	var def any
	if err := json.Unmarshal(holder.Definition, &def); err != nil {
		return []string{"bad holder: " + err.Error()}
	}
	var itemVal any
	if err := json.Unmarshal(item, &itemVal); err != nil {
		return []string{"bad fixture: " + err.Error()}
	}
	flowType := c.LegacyFlowType
	if flowType == "" {
		flowType = "F"
	}
	def = replacePlaceholders(def, map[string]any{placeholder: itemVal, "<<LEGACY_FLOW_TYPE>>": flowType})
	defJSON, _ := json.Marshal(def)
	got, err := convertLegacy(defJSON, exprs)
	if err != nil {
		return []string{"converting: " + err.Error()}
	}

	cmp := NewComparer(defJSON)
	var diffs []string
	compare := func(label string, want json.RawMessage, act any) {
		if len(want) == 0 {
			return
		}
		w, err := Decode(want)
		if err != nil {
			diffs = append(diffs, "bad fixture: "+err.Error())
			return
		}
		for _, d := range cmp.Diff(w, act) {
			diffs = append(diffs, label+d[1:])
		}
	}
	nodes, _ := got["nodes"].([]any)
	var node0 map[string]any
	if len(nodes) > 0 {
		node0, _ = nodes[0].(map[string]any)
	}
	uiNodes, _ := dig(got, "_ui", "nodes").(map[string]any)
	switch placeholder {
	case "<<LEGACY_ACTION>>":
		actions, _ := node0["actions"].([]any)
		var a0 any
		if len(actions) > 0 {
			a0 = actions[0]
		}
		compare("action", c.ExpectedAction, a0)
	case "<<LEGACY_TEST>>":
		kase := dig(node0, "router", "cases", 0)
		compare("case", c.ExpectedCase, kase)
		if len(c.ExpectedUI) > 0 {
			caseUUID, _ := dig(kase, "uuid").(string)
			compare("case_ui", c.ExpectedUI, dig(uiNodes, str(node0["uuid"]), "config", "cases", caseUUID))
		}
	default:
		compare("node", c.ExpectedNode, node0)
		compare("ui", c.ExpectedUI, uiNodes[str(node0["uuid"])])
	}
	compare("localization", c.ExpectedLocalization, got["localization"])
	return diffs
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// dig follows object keys (strings) and list indexes (ints) through decoded JSON.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// replacePlaceholders replaces string values equal to a key of repl by its value.
func replacePlaceholders(v any, repl map[string]any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = replacePlaceholders(e, repl)
		}
	case []any:
		for i, e := range x {
			x[i] = replacePlaceholders(e, repl)
		}
	case string:
		if r, ok := repl[x]; ok {
			return r
		}
	}
	return v
}
