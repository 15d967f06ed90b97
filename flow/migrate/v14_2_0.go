package migrate

// 14.2.0: open_ticket's "body" was renamed "note" (tickets no longer have a subject/body pair),
// and localization languages must be 3-letter codes, so others (like the old "base") are dropped.
func init() { register("14.2.0", migrate14_2_0) }

func migrate14_2_0(f Flow, cfg *Config) error {
	for _, node := range f.nodes() {
		for _, a := range actions(node) {
			if str(a, "type") != "open_ticket" {
				continue
			}
			if body := str(a, "body"); body != "" {
				a["note"] = body
				delete(a, "body")
			}
		}
	}
	if loc := f.localization(); loc != nil {
		for lang := range loc {
			if len(lang) != 3 {
				delete(loc, lang)
			}
		}
	}
	return nil
}
