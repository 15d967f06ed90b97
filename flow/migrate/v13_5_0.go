package migrate

// 13.5.0: send_msg no longer carries a templating object; the template reference moves to
// "template" and all component params, in order, become one flat "template_variables" list.
// Translated params are flattened the same way into a template_variables translation of the
// action, for each language that translated any component (untranslated components contribute
// their base params so positions still line up).
func init() { register("13.5.0", migrate13_5_0) }

func migrate13_5_0(f Flow, cfg *Config) error {
	langs := f.languages()
	for _, node := range f.nodes() {
		for _, a := range actions(node) {
			if str(a, "type") != "send_msg" {
				continue
			}
			t := asMap(a["templating"])
			if t == nil {
				continue
			}
			vars := []string{}
			localized := map[string][]string{}
			translated := map[string]bool{}
			for _, c := range asList(t["components"]) {
				comp := asMap(c)
				compUUID := str(comp, "uuid")
				params := []string{}
				for _, p := range asList(comp["params"]) {
					s, _ := p.(string)
					params = append(params, s)
				}
				vars = append(vars, params...)
				for _, lang := range langs {
					if tr := f.translation(lang, compUUID, "params"); tr != nil {
						localized[lang] = append(localized[lang], tr...)
						f.deleteTranslation(lang, compUUID, "params")
						translated[lang] = true
					} else {
						localized[lang] = append(localized[lang], params...)
					}
				}
			}
			a["template"] = t["template"]
			a["template_variables"] = strings2any(vars)
			delete(a, "templating")
			for _, lang := range langs {
				if translated[lang] {
					f.setTranslation(lang, str(a, "uuid"), "template_variables", localized[lang])
				}
			}
		}
	}
	return nil
}
