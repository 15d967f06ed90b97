package migrate

import "strings"

// 13.6.0: result names got a 64 character limit and category names a 36 character one. Longer
// names in set_run_result actions and routers are cut to fit (and trimmed, so no trailing
// space is left) rather than making the flow unreadable.
func init() { register("13.6.0", migrate13_6_0) }

const (
	maxResultName   = 64
	maxCategoryName = 36
)

func migrate13_6_0(f Flow, cfg *Config) error {
	for _, node := range f.nodes() {
		for _, a := range actions(node) {
			if str(a, "type") != "set_run_result" {
				continue
			}
			if name := str(a, "name"); len(name) > maxResultName {
				a["name"] = truncTrim(name, maxResultName)
			}
			if cat := str(a, "category"); len(cat) > maxCategoryName {
				a["category"] = truncTrim(cat, maxCategoryName)
			}
		}
		r := router(node)
		if r == nil {
			continue
		}
		if name := str(r, "result_name"); len(name) > maxResultName {
			r["result_name"] = truncTrim(name, maxResultName)
		}
		for _, c := range asList(r["categories"]) {
			if cat := asMap(c); cat != nil {
				if name := str(cat, "name"); len(name) > maxCategoryName {
					cat["name"] = truncTrim(name, maxCategoryName)
				}
			}
		}
	}
	return nil
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

func truncTrim(s string, n int) string { return strings.TrimSpace(truncate(s, n)) }
