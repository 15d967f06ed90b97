package engine

import (
	"careflow/flow"
)

// languages is the ordered list of languages to try for localized content (flows.md §8).
func (r *Run) languages() []string {
	s := r.session
	if r.langs != nil && r.langsGen == s.contactGen+1 {
		return r.langs
	}
	out := make([]string, 0, 3)
	defer func() { r.langs, r.langsGen = out, s.contactGen+1 }()
	if c := s.contact.Language; c != "" && contains(s.baseEnv.AllowedLanguages, c) {
		out = append(out, c)
	}
	if d := s.defaultLanguage(); d != "" && !contains(out, d) {
		out = append(out, d)
	}
	if r.flow != nil && !contains(out, r.flow.Language) {
		out = append(out, r.flow.Language)
	}
	return out
}

// Localize returns the translation of an item's property in the run's language, or the base
// value, along with the language chosen.
func (r *Run) Localize(item string, property string, base []string) ([]string, string) {
	if r.flow == nil {
		return base, ""
	}
	for _, lang := range r.languages() {
		if lang == r.flow.Language {
			return base, lang
		}
		if vals := r.flow.Localization.Get(lang, item, property); vals != nil {
			return vals, lang
		}
	}
	return base, r.flow.Language
}

// LocalizeText is Localize for a single text.
func (r *Run) LocalizeText(item string, property string, base string) (string, string) {
	if r.flow == nil || len(r.flow.Localization) == 0 {
		lang := ""
		if r.flow != nil {
			lang = r.flow.Language
		}
		return base, lang
	}
	vals, lang := r.Localize(item, property, []string{base})
	if len(vals) == 0 {
		return "", lang
	}
	return vals[0], lang
}

// LocalizeIn returns the translation in one language, falling back to the base value.
func (r *Run) LocalizeIn(lang, item, property string, base []string) []string {
	if r.flow == nil || lang == r.flow.Language {
		return base
	}
	if vals := r.flow.Localization.Get(lang, item, property); vals != nil {
		return vals
	}
	return base
}

// LocalizeCategory is the category name in the run's language.
func (r *Run) LocalizeCategory(c *flow.Category) string {
	name, _ := r.LocalizeText(string(c.UUID), "name", c.Name)
	return name
}
