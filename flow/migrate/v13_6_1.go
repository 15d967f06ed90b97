package migrate

import "careflow/flow/tmpl"

// 13.6.1: since 13.6.0 shortened result names to 64 characters, the result keys that templates
// look up (@results.<key>) are shortened the same way so they still find their results.
func init() { register("13.6.1", migrate13_6_1) }

func migrate13_6_1(f Flow, cfg *Config) error {
	rewriteTemplates(f, catalog13_6_0, func(t string) string {
		return tmpl.RewriteRefs(t, func(name string, rest string) (string, string, bool) {
			if name != "results" || len(rest) < 2 || rest[0] != '.' {
				return name, rest, false
			}
			key, tail := tmpl.SplitIdent(rest[1:])
			short := truncate(key, maxResultName)
			if short == key {
				return name, rest, false
			}
			return name, "." + short + tail, true
		})
	})
	return nil
}
