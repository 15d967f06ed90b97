package pre11

import (
	"strconv"
	"strings"
)

// The steps of flows still nested under "definition" (versions 3 to 6 exports).

func init() {
	register("5", migration{flow: (*migrator).passiveRulesets})
	register("6", migration{flow: (*migrator).localize})
	register("7", migration{flow: (*migrator).flatten})
}

// passiveRulesets (5): rule sets used to wait implicitly; each becomes an explicit wait, an
// expression split or a webhook, with wait and webhook nodes inserted before a split that
// needed them.
func (m *migrator) passiveRulesets(f map[string]any) (map[string]any, error) {
	def := obj(f["definition"])
	if def == nil {
		return f, nil
	}
	mapActions(def, cleanseGroupNames)
	for _, rs := range objects(def["rule_sets"]) {
		responseType := str(rs["response_type"])
		delete(rs, "response_type")
		rulesetType := str(rs["ruleset_type"])
		label := str(rs["label"])
		for _, rule := range objects(rs["rules"]) {
			delete(rule, "config")
		}
		if responseType == "" || rulesetType != "" {
			continue
		}
		webhookURL := str(rs["webhook"])
		webhookAction := rs["webhook_action"]
		delete(rs, "webhook")
		delete(rs, "webhook_action")
		hasOldWebhook := webhookURL != ""
		operand := strings.TrimSpace(str(rs["operand"]))
		if operand == "" {
			operand = "@step.value"
		}
		if requiresStep(operand) {
			switch responseType {
			case "K":
				rs["ruleset_type"] = "wait_digits"
			case "M":
				rs["ruleset_type"] = "wait_digit"
			case "R":
				rs["ruleset_type"] = "wait_recording"
			default:
				if operand == "@step.value" {
					rs["ruleset_type"] = "wait_message"
				} else {
					rs["ruleset_type"] = "expression"
					m.insertNode(def, m.pausing(def, rs, label+" Response"), rs)
				}
			}
		} else {
			rs["ruleset_type"] = "expression"
			if !strings.ContainsAny(operand, " |") {
				if strings.HasPrefix(operand, "@contact.") && operand != "@contact.groups" {
					rs["ruleset_type"] = "contact_field"
				} else if strings.HasPrefix(operand, "@flow.") {
					rs["ruleset_type"] = "flow_field"
				}
			}
			if hasOldWebhook {
				m.insertNode(def, m.pausing(def, rs, label+" Response"), rs)
			}
		}
		if hasOldWebhook {
			hook := deepCopy(rs).(map[string]any)
			hook["webhook"], hook["webhook_action"] = webhookURL, webhookAction
			hook["operand"], hook["ruleset_type"], hook["label"] = "@step.value", "webhook", label+" Webhook"
			keepAllResponses(def, hook)
			m.insertNode(def, hook, rs)
		}
	}
	return f, nil
}

// requiresStep: an operand reading @step (or step inside an =(...) expression) waited.
func requiresStep(operand string) bool {
	return strings.Contains(operand, "@step") || (len(operand) > 2 && strings.HasPrefix(operand, "=(") && strings.Contains(operand, "step"))
}

// pausing is a wait_message copy of rs keeping only its "All Responses" rule.
func (m *migrator) pausing(def, rs map[string]any, label string) map[string]any {
	p := deepCopy(rs).(map[string]any)
	p["ruleset_type"], p["operand"], p["label"] = "wait_message", "@step.value", label
	keepAllResponses(def, p)
	return p
}

// keepAllResponses removes every rule but the "true" one, renamed "All Responses".
func keepAllResponses(def, rs map[string]any) {
	var rules []any
	for _, rule := range objects(rs["rules"]) {
		if str(obj(rule["test"])["type"]) != "true" {
			continue
		}
		if base, ok := def["base_language"]; ok {
			if cat := obj(rule["category"]); cat != nil {
				cat[str(base)] = "All Responses"
			} else {
				rule["category"] = map[string]any{str(base): "All Responses"}
			}
		} else {
			rule["category"] = "All Responses"
		}
		rules = append(rules, rule)
	}
	if rules == nil {
		rules = []any{}
	}
	rs["rules"] = rules
}

// insertNode puts the rule set node in front of next: node takes next's UUID (so what led to
// next now leads to node), next gets a new one, every rule of node goes to next, and the nodes
// below make room.
func (m *migrator) insertNode(def, node, next map[string]any) {
	node["uuid"] = next["uuid"]
	next["uuid"] = m.newUUID()
	for _, rule := range objects(node["rules"]) {
		rule["destination"] = next["uuid"]
	}
	moveNodesDown(def, num(node["y"]), 100)
	def["rule_sets"] = append(list(def["rule_sets"]), node)
}

// localize (6): every localizable text becomes a language map; flows without a base language
// get "base".
func (m *migrator) localize(f map[string]any) (map[string]any, error) {
	def := obj(f["definition"])
	if def == nil {
		return f, nil
	}
	mapActions(def, cleanseGroupNames)
	if _, ok := def["base_language"]; ok {
		return f, nil
	}
	def["base_language"] = "base"
	toMap := func(o map[string]any, key string) {
		if _, ok := o[key].(map[string]any); !ok {
			o[key] = map[string]any{"base": o[key]}
		}
	}
	for _, rs := range objects(def["rule_sets"]) {
		for _, rule := range objects(rs["rules"]) {
			test := obj(rule["test"])
			if str(test["type"]) == "between" {
				if _, ok := rule["category"]; !ok {
					rule["category"] = jsonText(test["min"]) + "-" + jsonText(test["max"])
				}
			}
			toMap(rule, "category")
			switch str(test["type"]) {
			case "contains", "contains_any", "starts", "regex":
				toMap(test, "test")
			}
		}
	}
	for _, a := range actions(def) {
		switch str(a["type"]) {
		case "send", "reply":
			toMap(a, "msg")
		case "say":
			toMap(a, "msg")
			if _, ok := a["recording"]; ok {
				toMap(a, "recording")
			}
		}
	}
	return f, nil
}

// jsonText renders a number or text as Python's "%s" would.
func jsonText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// flatten (7): the nested definition becomes the flow, with the flow's name, id, uuid,
// revision and save time moved into its metadata.
func (m *migrator) flatten(f map[string]any) (map[string]any, error) {
	def := obj(f["definition"])
	if def == nil {
		return f, nil
	}
	mapActions(def, cleanseGroupNames)
	if t, ok := f["flow_type"]; ok {
		def["flow_type"] = t
	} else {
		def["flow_type"] = "F"
	}
	meta := obj(def["metadata"])
	if meta == nil {
		meta = map[string]any{}
		def["metadata"] = meta
	}
	meta["name"], meta["id"], meta["uuid"] = f["name"], f["id"], f["uuid"]
	if r, ok := f["revision"]; ok && r != nil {
		meta["revision"] = r
	}
	meta["saved_on"] = f["last_saved"]
	delete(def, "rulesets")
	return def, nil
}
