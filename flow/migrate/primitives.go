package migrate

import "sort"

// Helpers for walking a definition decoded into generic JSON. Each returns nil or "" for
// anything not of the expected shape, so migrations skip what they don't recognise.

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// nodes returns the flow's node objects.
func (f Flow) nodes() []map[string]any {
	var out []map[string]any
	for _, n := range asList(f["nodes"]) {
		if m := asMap(n); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// actions returns a node's action objects.
func actions(node map[string]any) []map[string]any {
	var out []map[string]any
	for _, a := range asList(node["actions"]) {
		if m := asMap(a); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// router returns a node's router object, or nil.
func router(node map[string]any) map[string]any { return asMap(node["router"]) }

// cases returns a router's case objects.
func cases(r map[string]any) []map[string]any {
	var out []map[string]any
	for _, c := range asList(r["cases"]) {
		if m := asMap(c); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// localization returns the flow's localization object, or nil.
func (f Flow) localization() map[string]any { return asMap(f["localization"]) }

// languages returns the localization's language keys, sorted.
func (f Flow) languages() []string {
	loc := f.localization()
	langs := make([]string, 0, len(loc))
	for l := range loc {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return langs
}

// translation returns the string values of one translated property, or nil.
func (f Flow) translation(lang, item, prop string) []string {
	vals, ok := asMap(asMap(f.localization()[lang])[item])[prop].([]any)
	if !ok {
		return nil
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i], _ = v.(string)
	}
	return out
}

// setTranslation stores one translated property, creating the item if needed.
func (f Flow) setTranslation(lang, item, prop string, values []string) {
	lt := asMap(f.localization()[lang])
	if lt == nil {
		return
	}
	it := asMap(lt[item])
	if it == nil {
		it = map[string]any{}
		lt[item] = it
	}
	vals := make([]any, len(values))
	for i, v := range values {
		vals[i] = v
	}
	it[prop] = vals
}

// deleteTranslation removes one translated property, and the item when nothing is left.
func (f Flow) deleteTranslation(lang, item, prop string) {
	lt := asMap(f.localization()[lang])
	it := asMap(lt[item])
	if it == nil {
		return
	}
	delete(it, prop)
	if len(it) == 0 {
		delete(lt, item)
	}
}

// isWebhookNode reports whether a node is the editor's webhook shape: exactly one
// call_webhook or call_resthook action and a switch router.
func isWebhookNode(node map[string]any) bool {
	acts := actions(node)
	if len(acts) != 1 || len(asList(node["actions"])) != 1 {
		return false
	}
	t := str(acts[0], "type")
	r := router(node)
	return (t == "call_webhook" || t == "call_resthook") && r != nil && str(r, "type") == "switch"
}

func strings2any(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
