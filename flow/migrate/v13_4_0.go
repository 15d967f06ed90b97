package migrate

// 13.4.0: message templates grew multiple components (header, body, buttons). The single list of
// templating variables becomes the params of one "body" component with its own UUID, and their
// translations (keyed by the old templating UUID) move to that component.
func init() { register("13.4.0", migrate13_4_0) }

func migrate13_4_0(f Flow, cfg *Config) error {
	for _, node := range f.nodes() {
		for _, a := range actions(node) {
			if str(a, "type") != "send_msg" {
				continue
			}
			t := asMap(a["templating"])
			if t == nil {
				continue
			}
			oldUUID := str(t, "uuid")
			compUUID := cfg.NewUUID()
			vars := asList(t["variables"])
			if vars == nil {
				vars = []any{}
			}
			t["components"] = []any{map[string]any{"uuid": compUUID, "name": "body", "params": vars}}
			for _, lang := range f.languages() {
				if tr := f.translation(lang, oldUUID, "variables"); tr != nil {
					f.setTranslation(lang, compUUID, "params", tr)
					f.deleteTranslation(lang, oldUUID, "variables")
				}
			}
			delete(t, "uuid")
			delete(t, "variables")
		}
	}
	return nil
}
