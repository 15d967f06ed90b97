package expr

import (
	"strings"
)

// RootNames are the root context keys available during a flow run (spec §7). ContextPaths
// uses them to decide which @identifiers are expressions.
var RootNames = []string{
	"contact", "fields", "urns", "results", "locals", "run", "parent", "child", "input", "webhook",
	"trigger", "resume", "globals", "ticket", "node", "legacy_extra",
}

// ContextPaths lists the context paths a template refers to, in order of first use and
// without duplicates: "contact.name", "webhook.json.results.0.state", "results". Lookups with
// computed keys stop the path at the container; lambda parameters and functions are not
// context paths. Expressions that don't parse are skipped.
func ContextPaths(tpl string) []string {
	roots := map[string]bool{}
	for _, r := range RootNames {
		roots[r] = true
	}
	var paths []string
	seen := map[string]bool{}
	add := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	for _, seg := range scanTemplate(tpl, func(name string) bool { return roots[strings.ToLower(name)] }) {
		if seg.source == "" {
			continue
		}
		n, err := parse(seg.text)
		if err != nil {
			continue
		}
		collectPaths(n, map[string]bool{}, add)
	}
	return paths
}

// pathOf returns the constant lookup path of n ("" if n isn't a context lookup).
func pathOf(n node, params map[string]bool) string {
	switch x := n.(type) {
	case *nameRef:
		name := strings.ToLower(x.name)
		if params[name] {
			return ""
		}
		if _, isFunc := functions[name]; isFunc {
			return ""
		}
		return name
	case *dotLookup:
		if base := pathOf(x.container, params); base != "" {
			return base + "." + strings.ToLower(x.key)
		}
	case *indexLookup:
		if base := pathOf(x.container, params); base != "" {
			switch k := x.index.(type) {
			case *textLit:
				return base + "." + strings.ToLower(k.val)
			case *numberLit:
				return base + "." + k.src
			}
		}
	}
	return ""
}

func collectPaths(n node, params map[string]bool, add func(string)) {
	if p := pathOf(n, params); p != "" {
		add(p)
		return
	}
	switch x := n.(type) {
	case *dotLookup:
		collectPaths(x.container, params, add)
	case *indexLookup:
		collectPaths(x.container, params, add)
		collectPaths(x.index, params, add)
	case *call:
		collectPaths(x.fn, params, add)
		for _, a := range x.args {
			collectPaths(a, params, add)
		}
	case *negate:
		collectPaths(x.operand, params, add)
	case *binary:
		collectPaths(x.l, params, add)
		collectPaths(x.r, params, add)
	case *lambda:
		inner := make(map[string]bool, len(params)+len(x.params))
		for k := range params {
			inner[k] = true
		}
		for _, p := range x.params {
			inner[p] = true
		}
		collectPaths(x.body, inner, add)
	}
}
