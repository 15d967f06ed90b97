package pre11

import "reflect"

// The 11.x steps that restructure nodes.

// webhookActions (11.7): webhook ("api") actions became webhook rule sets. An action set with
// webhook actions is split into runs of other actions and one rule set per webhook, chained in
// order; the first takes the action set's UUID so what led to it leads to the chain.
func (m *migrator) webhookActions(f map[string]any) (map[string]any, error) {
	nodes := map[string]map[string]any{}
	for _, key := range []string{"action_sets", "rule_sets"} {
		for _, n := range objects(f[key]) {
			nodes[str(n["uuid"])] = n
		}
	}
	base := str(f["base_language"])
	type replaced struct {
		old   map[string]any
		nodes []map[string]any
	}
	var replacements []replaced
	hooks := 0
	for _, as := range objects(f["action_sets"]) {
		// runs of non-webhook actions ([]any) and single webhook actions (map)
		var parts []any
		hasHooks := false
		for _, a := range objects(as["actions"]) {
			if str(a["type"]) == "api" {
				parts = append(parts, a)
				hasHooks = true
				continue
			}
			if run, ok := lastRun(parts); ok {
				parts[len(parts)-1] = append(run, a)
			} else {
				parts = append(parts, []any{a})
			}
		}
		if !hasHooks {
			continue
		}
		var dest map[string]any
		if d := str(as["destination"]); d != "" {
			dest = nodes[d]
		}
		chain := make([]map[string]any, len(parts))
		for i := len(parts) - 1; i >= 0; i-- {
			uuid := str(as["uuid"])
			if i > 0 {
				uuid = m.newUUID()
			}
			var destUUID, destType any
			if dest != nil {
				destUUID, destType = dest["uuid"], "R"
				if _, ok := dest["actions"]; ok {
					destType = "A"
				}
			}
			var node map[string]any
			if hook, ok := parts[i].(map[string]any); ok {
				// numbered in the order they are made, from the end of the chain, as RapidPro does
				hooks++
				node = m.webhookRuleset(hook, uuid, as, base, hooks, destUUID, destType)
				f["rule_sets"] = append(list(f["rule_sets"]), node)
			} else {
				node = map[string]any{"uuid": uuid, "x": orZero(as["x"]), "y": orZero(as["y"]), "actions": parts[i],
					"exit_uuid": m.newUUID(), "destination": destUUID}
				f["action_sets"] = append(list(f["action_sets"]), node)
			}
			chain[i] = node
			dest = node
		}
		replacements = append(replacements, replaced{as, chain})
	}
	height := func(n map[string]any) float64 {
		if acts, ok := n["actions"]; ok {
			return float64(len(list(acts)))*75 + 75
		}
		return 100
	}
	for _, r := range replacements {
		if len(r.nodes) > 1 {
			oldY := num(r.old["y"])
			extra := -float64(len(list(r.old["actions"]))) * 60
			for _, n := range r.nodes {
				extra += height(n)
			}
			moveNodesDown(f, oldY+1, extra)
			extra = height(r.nodes[0])
			for _, n := range r.nodes[1:] {
				n["y"] = num(n["y"]) + extra
				extra += height(n)
			}
		}
		var kept []any
		for _, as := range objects(f["action_sets"]) {
			if !sameNode(as, r.old) {
				kept = append(kept, as)
			}
		}
		f["action_sets"] = kept
	}
	return f, nil
}

func lastRun(parts []any) ([]any, bool) {
	if len(parts) == 0 {
		return nil, false
	}
	run, ok := parts[len(parts)-1].([]any)
	return run, ok
}

// sameNode reports whether a and b are the same map (maps are not comparable).
func sameNode(a, b map[string]any) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

func orZero(v any) any {
	if v == nil {
		return float64(0)
	}
	return v
}

// webhookRuleset is the rule set replacing one webhook action: Success and Failure both lead
// where the action led.
func (m *migrator) webhookRuleset(hook map[string]any, uuid string, as map[string]any, base string, n int, dest, destType any) map[string]any {
	rule := func(status, category string) map[string]any {
		return map[string]any{"uuid": m.newUUID(), "category": map[string]any{base: category}, "destination": dest,
			"destination_type": destType, "test": map[string]any{"type": "webhook_status", "status": status}, "label": nil}
	}
	success := rule("success", "Success")
	failure := rule("failure", "Failure")
	method := hook["action"]
	if method == nil {
		method = "POST"
	}
	headers := hook["webhook_headers"]
	if headers == nil {
		headers = []any{}
	}
	return map[string]any{
		"uuid": uuid, "x": orZero(as["x"]), "y": orZero(as["y"]), "label": "Migrated Webhook " + itoa(n),
		"rules": []any{success, failure}, "finished_key": nil, "ruleset_type": "webhook", "response_type": "",
		"operand": "@step.value",
		"config":  map[string]any{"webhook": orEmpty(hook["webhook"]), "webhook_action": method, "webhook_headers": headers},
	}
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

// crossModality (11.10): a sub-flow of another modality (voice from messaging, or the other
// way) can't run inside its parent; such actions and rule sets start it as a new session
// instead (trigger-flow), using the flow types of the export.
func (m *migrator) crossModality(export map[string]any) error {
	types := map[string]string{}
	for _, f := range objects(export["flows"]) {
		types[str(obj(f["metadata"])["uuid"])] = str(f["flow_type"])
	}
	sameType := func(a, b string) bool {
		return a == b || (a == "F" && b == "M") || (a == "M" && b == "F")
	}
	for _, f := range objects(export["flows"]) {
		if str(f["flow_type"]) == "" {
			f["flow_type"] = "M"
		}
		if _, ok := f["action_sets"]; !ok {
			f["action_sets"] = []any{}
		}
		if _, ok := f["rule_sets"]; !ok {
			f["rule_sets"] = []any{}
		}
		own := str(f["flow_type"])
		other := func(ref any) bool {
			t := types[str(obj(ref)["uuid"])]
			return t != "" && !sameType(t, own)
		}
		for _, a := range actions(f) {
			if str(a["type"]) == "flow" && other(a["flow"]) {
				a["type"], a["contacts"], a["groups"], a["urns"] = "trigger-flow", []any{}, []any{}, []any{}
				a["variables"] = []any{map[string]any{"id": "@contact.uuid"}}
			}
		}
		var kept []any
		for _, rs := range objects(f["rule_sets"]) {
			cfg := obj(rs["config"])
			if str(rs["ruleset_type"]) != "subflow" || !other(cfg["flow"]) {
				kept = append(kept, rs)
				continue
			}
			rules := objects(rs["rules"])
			var dest, exit any
			if len(rules) > 0 {
				dest, exit = rules[0]["destination"], rules[0]["uuid"]
			}
			f["action_sets"] = append(list(f["action_sets"]), map[string]any{
				"uuid": rs["uuid"], "x": rs["x"], "y": rs["y"], "destination": dest, "exit_uuid": exit,
				"actions": []any{map[string]any{"type": "trigger-flow", "uuid": m.newUUID(), "flow": cfg["flow"],
					"contacts": []any{}, "groups": []any{}, "urns": []any{}, "variables": []any{map[string]any{"id": "@contact.uuid"}}}},
			})
		}
		if kept == nil {
			kept = []any{}
		}
		f["rule_sets"] = kept
	}
	return nil
}
