package legacy

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
)

// converted holds what a rule set's rules become.
type converted struct {
	cases           []any
	categories      []any
	exits           []any
	defaultCategory string
	timeoutCategory string
	timeoutSeconds  int
}

// rules turns a rule set's rules into categories (one per distinct category name, each with its
// own exit named after the first rule's UUID, since rule UUIDs identified path steps), cases
// (one per testing rule), the default category ("true" rules, and the failure rule of webhook
// and airtime splits) and the timeout category.
func (c *converter) rules(r ruleSet, uiConfig map[string]any) (*converted, error) {
	out := &converted{cases: []any{}, categories: []any{}, exits: []any{}}
	byRule := map[string]string{} // rule UUID → category UUID
	byName := map[string]string{} // base category name → category UUID
	for _, rl := range r.Rules {
		name := rl.Category.base(c.baseLanguage)
		catUUID := ""
		if rl.testType() != "true" {
			catUUID = byName[name]
		}
		if catUUID == "" {
			out.exits = append(out.exits, c.exit(rl.UUID, rl.Destination))
			catUUID = c.cfg.NewUUID()
			out.categories = append(out.categories, map[string]any{"uuid": catUUID, "name": name, "exit_uuid": rl.UUID})
		}
		byRule[rl.UUID] = catUUID
		byName[name] = catUUID
		c.addMap(rl.Category, catUUID, "name")
	}

	for _, rl := range r.Rules {
		catUUID := byRule[rl.UUID]
		switch rl.testType() {
		case "true": // the implicit Other rule is the router's default
			out.defaultCategory = catUUID
			continue
		case "timeout":
			var t struct {
				Minutes int `json:"minutes"`
			}
			if err := json.Unmarshal(rl.Test, &t); err != nil {
				return nil, err
			}
			if out.timeoutSeconds == 0 {
				out.timeoutSeconds = 60 * t.Minutes
			}
			out.timeoutCategory = catUUID
			continue
		case "webhook_status", "airtime_status":
			out.defaultCategory = catUUID // the last (failure) rule is the default
		}
		kase, caseUI, err := c.rule(rl, catUUID)
		if err != nil {
			return nil, err
		}
		if kase == nil {
			continue
		}
		out.cases = append(out.cases, kase)
		if caseUI != nil {
			cases, _ := uiConfig["cases"].(map[string]any)
			if cases == nil {
				cases = map[string]any{}
				uiConfig["cases"] = cases
			}
			cases[kase["uuid"].(string)] = caseUI
		}
	}
	return out, nil
}

// testTypes maps legacy test types to router tests.
var testTypes = map[string]string{
	"between": "has_number_between", "contains": "has_all_words", "contains_any": "has_any_word",
	"contains_only_phrase": "has_only_phrase", "contains_phrase": "has_phrase", "date": "has_date",
	"date_after": "has_date_gt", "date_before": "has_date_lt", "date_equal": "has_date_eq",
	"district": "has_district", "has_email": "has_email", "eq": "has_number_eq",
	"gt": "has_number_gt", "gte": "has_number_gte", "in_group": "has_group", "lt": "has_number_lt",
	"lte": "has_number_lte", "not_empty": "has_text", "number": "has_number", "phone": "has_phone",
	"regex": "has_pattern", "starts": "has_beginning", "state": "has_state", "ward": "has_ward",
}

var relativeDate = regexp.MustCompile(`@\(date\.today\s+(\+|\-)\s+(\-?\d+)\)`)

// rule converts one testing rule into a case (nil when the rule only marks the default) and
// the case's editor config, if any.
func (c *converter) rule(rl rule, catUUID string) (map[string]any, map[string]any, error) {
	typ := rl.testType()
	newType := testTypes[typ]
	caseUUID := c.cfg.NewUUID()
	var args []string
	var caseUI map[string]any
	var t struct {
		Test       json.RawMessage `json:"test"`
		Min        string          `json:"min"`
		Max        string          `json:"max"`
		State      string          `json:"state"`
		District   string          `json:"district"`
		ExitType   string          `json:"exit_type"`
		Status     string          `json:"status"`
		ExitStatus string          `json:"exit_status"`
	}
	if err := json.Unmarshal(rl.Test, &t); err != nil {
		return nil, nil, err
	}
	testString := func() string {
		var s string
		_ = json.Unmarshal(t.Test, &s)
		return s
	}

	switch typ {
	case "date", "has_email", "not_empty", "number", "phone", "state":
		args = []string{}
	case "eq", "gt", "gte", "lt", "lte":
		var v stringOrNumber
		if err := json.Unmarshal(t.Test, &v); err != nil {
			return nil, nil, err
		}
		args = []string{c.tpl(string(v))}
	case "between":
		args = []string{c.tpl(t.Min), c.tpl(t.Max)}
	case "contains", "contains_any", "contains_phrase", "contains_only_phrase", "regex", "starts":
		var tr translations
		if err := json.Unmarshal(t.Test, &tr); err != nil {
			return nil, nil, err
		}
		arg := tr.base(c.baseLanguage)
		if typ != "regex" { // every test argument is a template, except regexes
			arg = c.tpl(arg)
		}
		args = []string{arg}
		c.addMap(tr, caseUUID, "arguments")
	case "date_equal", "date_after", "date_before":
		s := testString()
		args = []string{c.expr(s, ExprOptions{RawDates: true})}
		delta := 0
		if m := relativeDate.FindStringSubmatch(s); m != nil {
			delta, _ = strconv.Atoi(m[2])
			if m[1] == "-" {
				delta = -delta
			}
		}
		caseUI = map[string]any{"arguments": []string{strconv.Itoa(delta)}}
	case "in_group":
		var g groupRef
		if err := json.Unmarshal(t.Test, &g); err != nil {
			return nil, nil, err
		}
		args = []string{g.UUID, g.Name}
	case "subflow":
		newType = "has_only_text"
		args = []string{t.ExitType}
	case "webhook_status":
		newType = "has_only_text"
		args = []string{"Failure"}
		if t.Status == "success" {
			args = []string{"Success"}
		}
	case "airtime_status":
		if t.ExitStatus != "success" {
			return nil, nil, nil // failure is just the default category
		}
		newType = "has_category"
		args = []string{"Success"}
	case "district":
		args = []string{c.tpl(testString())}
	case "ward":
		args = []string{c.tpl(t.District), c.tpl(t.State)}
	default:
		return nil, nil, fmt.Errorf("migration of '%s' tests not supported", typ)
	}
	kase := map[string]any{"uuid": caseUUID, "type": newType, "category_uuid": catUUID}
	if len(args) > 0 {
		kase["arguments"] = args
	}
	return kase, caseUI, nil
}
