package pre11

import "regexp"

func init() {
	register("9", migration{export: (*migrator).uuids})
	register("10", migration{flow: (*migrator).webhookRulesets})
	register("10.1", migration{flow: (*migrator).actionUUIDs})
	register("10.2", migration{flow: (*migrator).localizeReplies})
	register("10.3", migration{flow: (*migrator).exitUUIDs})
	register("10.4", migration{flow: (*migrator).fillUUIDs})
}

// parentRefs: @extra.flow became @parent and @extra.contact @parent.contact (9).
var parentRefs = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`@extra\.flow`), "@parent"},
	{regexp.MustCompile(`(@\(.*?)extra\.flow(.*?\))`), "${1}parent${2}"},
	{regexp.MustCompile(`@extra\.contact`), "@parent.contact"},
	{regexp.MustCompile(`(@\(.*?)extra\.contact(.*?\))`), "${1}parent.contact${2}"},
}

func replaceParentRefs(v any) any {
	switch x := v.(type) {
	case string:
		for _, r := range parentRefs {
			for r.re.MatchString(x) {
				x = r.re.ReplaceAllString(x, r.repl)
			}
		}
		return x
	case []any:
		for i := range x {
			x[i] = replaceParentRefs(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = replaceParentRefs(x[k])
		}
	}
	return v
}

// uuids (9): flows, groups, contacts and labels were referenced by database id; on import
// each id becomes a UUID (the same one for the same id across the export) and the name is kept.
func (m *migrator) uuids(export map[string]any) error {
	replaceParentRefs(export)
	idMaps := map[string]map[string]string{}
	uuidFor := func(kind string, id any) string {
		key := jsonText(id)
		if idMaps[kind] == nil {
			idMaps[kind] = map[string]string{}
		}
		if u, ok := idMaps[kind][key]; ok {
			return u
		}
		u := m.newUUID()
		idMaps[kind][key] = u
		return u
	}
	// remap replaces an element's id and name with uuid and name, nested under nest if given
	remap := func(kind string, ele map[string]any, nest string) map[string]any {
		id, hasID := ele["id"]
		name, hasName := ele["name"]
		delete(ele, "id")
		delete(ele, "name")
		if nest != "" {
			inner := map[string]any{}
			ele[nest] = inner
			ele = inner
		}
		if hasID && id != nil && id != false && jsonText(id) != "" && jsonText(id) != "0" {
			ele["uuid"] = uuidFor(kind, id)
		}
		if hasName && name != nil && name != "" {
			ele["name"] = name
		}
		return ele
	}
	for _, f := range objects(export["flows"]) {
		mapActions(f, cleanseGroupNames)
		for _, a := range actions(f) {
			switch str(a["type"]) {
			case "add_group", "del_group", "send", "trigger-flow":
				var groups []any
				for _, g := range list(a["groups"]) {
					switch x := g.(type) {
					case string:
						if len(x) > 0 && x[0] == '@' {
							groups = append(groups, x)
						} else {
							groups = append(groups, remap("group", map[string]any{"name": x}, ""))
						}
					case map[string]any:
						groups = append(groups, remap("group", x, ""))
					}
				}
				for _, c := range objects(a["contacts"]) {
					remap("contact", c, "")
				}
				if groups != nil {
					a["groups"] = groups
				}
			}
			switch str(a["type"]) {
			case "trigger-flow", "flow":
				remap("flow", a, "flow")
			case "add_label":
				for _, l := range objects(a["labels"]) {
					remap("label", l, "")
				}
			}
		}
		if meta := obj(f["metadata"]); meta != nil {
			if id, ok := meta["id"]; ok {
				if id != nil && jsonText(id) != "" && jsonText(id) != "0" {
					remap("flow", meta, "")
				} else {
					delete(meta, "id")
				}
			}
		}
	}
	return nil
}

// webhookRulesets (10): a webhook rule set keeps its URL and method in config and routes
// Success and Failure (both where its one rule went); other rule sets lose webhook leftovers.
func (m *migrator) webhookRulesets(f map[string]any) (map[string]any, error) {
	base := "base"
	if b, ok := f["base_language"]; ok {
		base = str(b)
	}
	mapActions(f, cleanseGroupNames)
	for _, rs := range objects(f["rule_sets"]) {
		if str(rs["ruleset_type"]) != "webhook" {
			delete(rs, "webhook_action")
			delete(rs, "webhook")
			continue
		}
		cfg := obj(rs["config"])
		if cfg == nil {
			cfg = map[string]any{}
			rs["config"] = cfg
		}
		cfg["webhook_action"], cfg["webhook"] = rs["webhook_action"], rs["webhook"]
		delete(rs, "webhook_action")
		delete(rs, "webhook")
		rules := objects(rs["rules"])
		if len(rules) == 0 {
			continue
		}
		first := rules[0]
		var out []any
		for _, status := range []string{"success", "failure"} {
			uuid := first["uuid"]
			if status == "failure" {
				uuid = m.newUUID()
			}
			rule := map[string]any{
				"test":     map[string]any{"status": status, "type": "webhook_status"},
				"category": map[string]any{base: map[string]string{"success": "Success", "failure": "Failure"}[status]},
				"uuid":     uuid,
			}
			if d := first["destination"]; d != nil && d != "" {
				rule["destination"], rule["destination_type"] = d, first["destination_type"]
			}
			out = append(out, rule)
		}
		rs["rules"] = out
	}
	return f, nil
}

// actionUUIDs (10.1): every action has a UUID.
func (m *migrator) actionUUIDs(f map[string]any) (map[string]any, error) {
	mapActions(f, cleanseGroupNames)
	for _, a := range actions(f) {
		if str(a["uuid"]) == "" {
			a["uuid"] = m.newUUID()
		}
	}
	return f, nil
}

// localizeReplies (10.2): a reply whose text is still plain becomes a base-language map.
func (m *migrator) localizeReplies(f map[string]any) (map[string]any, error) {
	base := str(f["base_language"])
	if base == "" {
		base = "base"
	}
	f["base_language"] = base
	mapActions(f, func(a map[string]any) map[string]any {
		if str(a["type"]) == "reply" {
			if _, ok := a["msg"].(map[string]any); !ok {
				a["msg"] = map[string]any{base: a["msg"]}
			}
		}
		return a
	})
	return f, nil
}

// exitUUIDs (10.3): every action set gets a (new) exit UUID, so goflow's conversion is
// deterministic.
func (m *migrator) exitUUIDs(f map[string]any) (map[string]any, error) {
	for _, as := range objects(f["action_sets"]) {
		as["exit_uuid"] = m.newUUID()
	}
	return f, nil
}

// fillUUIDs (10.4): action sets and actions still missing UUIDs get them.
func (m *migrator) fillUUIDs(f map[string]any) (map[string]any, error) {
	for _, as := range objects(f["action_sets"]) {
		if str(as["exit_uuid"]) == "" {
			as["exit_uuid"] = m.newUUID()
		}
		for _, a := range objects(as["actions"]) {
			if str(a["uuid"]) == "" {
				a["uuid"] = m.newUUID()
			}
		}
	}
	return f, nil
}
