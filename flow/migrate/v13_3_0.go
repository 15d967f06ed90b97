package migrate

import "careflow/flow/tmpl"

// 13.3.0: @webhook changed from being the parsed response body to describing the whole call
// (status, headers, json ...). Existing templates meant the body, so every top-level reference
// to webhook is rewritten to webhook.json, in the template fields of 13.2.0 and in their
// translations.
func init() { register("13.3.0", migrate13_3_0) }

func migrate13_3_0(f Flow, cfg *Config) error {
	rewriteTemplates(f, catalog13_2_0, func(t string) string {
		return tmpl.RewriteRefs(t, func(name string, rest string) (string, string, bool) {
			if name != "webhook" {
				return name, rest, false
			}
			return "webhook.json", rest, true
		})
	})
	return nil
}
