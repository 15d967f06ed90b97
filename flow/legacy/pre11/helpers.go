package pre11

import (
	"regexp"
	"strconv"
	"strings"
)

// The generic JSON helpers the steps share: definitions are decoded JSON (maps, lists,
// strings, float64 numbers).

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func obj(v any) map[string]any {
	o, _ := v.(map[string]any)
	return o
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) float64 {
	n, _ := v.(float64)
	return n
}

// objects lists the objects of a list value, skipping anything else.
func objects(v any) []map[string]any {
	var out []map[string]any
	for _, x := range list(v) {
		if o, ok := x.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

// actions lists every action of every action set.
func actions(f map[string]any) []map[string]any {
	var out []map[string]any
	for _, as := range objects(f["action_sets"]) {
		out = append(out, objects(as["actions"])...)
	}
	return out
}

// mapActions runs fix on every action (dropping those it returns nil for), drops action sets
// left empty and, when any was dropped, makes the top-left remaining node the entry.
func mapActions(f map[string]any, fix func(a map[string]any) map[string]any) {
	orig := objects(f["action_sets"])
	var kept []any
	for _, as := range orig {
		var acts []any
		for _, a := range objects(as["actions"]) {
			if out := fix(a); out != nil {
				acts = append(acts, out)
			}
		}
		if acts == nil {
			acts = []any{}
		}
		as["actions"] = acts
		if len(acts) > 0 {
			kept = append(kept, as)
		}
	}
	if kept == nil {
		kept = []any{}
	}
	f["action_sets"] = kept
	if len(kept) < len(orig) {
		f["entry"] = entryOf(f)
	}
}

// entryOf is the node with the lowest y (then x): rule sets first, as RapidPro looks.
func entryOf(f map[string]any) any {
	var best any
	var bx, by float64
	found := false
	for _, key := range []string{"rule_sets", "action_sets"} {
		for _, n := range objects(f[key]) {
			x, y := num(n["x"]), num(n["y"])
			if !found || y < by || (y == by && x < bx) {
				best, bx, by, found = n["uuid"], x, y, true
			}
		}
	}
	return best
}

var groupNameStart = regexp.MustCompile(`^[\pL\pN_]`)

// cleanseGroupNames gives add_group/del_group actions a groups list and valid group names
// (not blank, no surrounding space, at most 64 characters, starting with a word character),
// prefixing "Contacts " to the others as RapidPro did.
func cleanseGroupNames(a map[string]any) map[string]any {
	t := str(a["type"])
	if t != "add_group" && t != "del_group" {
		return a
	}
	if g, ok := a["group"]; ok {
		if _, has := a["groups"]; !has {
			a["groups"] = []any{g}
		}
	}
	for _, g := range objects(a["groups"]) {
		if _, ok := g["name"]; !ok {
			g["name"] = "Unknown"
		}
		name := str(g["name"])
		if name == "" || strings.TrimSpace(name) != name || len([]rune(name)) > 64 || !groupNameStart.MatchString(name) {
			g["name"] = "Contacts " + name
		}
	}
	return a
}

// moveNodesDown moves every node at or below y down by delta.
func moveNodesDown(f map[string]any, below, delta float64) {
	for _, key := range []string{"action_sets", "rule_sets"} {
		for _, n := range objects(f[key]) {
			if num(n["y"]) >= below {
				n["y"] = num(n["y"]) + delta
			}
		}
	}
}

// labelSlug is a ruleset label as a result key ("Date of Birth" → "date_of_birth").
func labelSlug(label string) string {
	return nonSlug.ReplaceAllString(strings.ToLower(label), "_")
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// deepCopy copies decoded JSON.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

func itoa(n int) string { return strconv.Itoa(n) }
