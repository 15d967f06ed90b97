package legacy

import "sort"

// localization accumulates translations: language → item UUID → property → values.
type localization map[string]map[string]map[string][]string

func (l localization) add(lang, item, prop string, values []string) {
	if l[lang] == nil {
		l[lang] = map[string]map[string][]string{}
	}
	if l[lang][item] == nil {
		l[lang][item] = map[string][]string{}
	}
	l[lang][item][prop] = values
}

func (l localization) toJSON() map[string]any {
	out := map[string]any{}
	for lang, items := range l {
		li := map[string]any{}
		for item, props := range items {
			pi := map[string]any{}
			for prop, vals := range props {
				pi[prop] = vals
			}
			li[item] = pi
		}
		out[lang] = li
	}
	return out
}

// addMap migrates every translation of one text, stores the non-base ones under item/prop and
// returns the base language's text ("" when the base language has none). Texts under the
// pseudo-language "base" are dropped unless it is the flow's base language.
func (c *converter) addMap(t translations, item, prop string) string {
	var inBase string
	for _, lang := range sortedLangs(t) {
		migrated := c.tpl(t[lang])
		if lang == c.baseLanguage {
			inBase = migrated
		} else if lang != "base" {
			c.loc.add(lang, item, prop, []string{migrated})
		}
	}
	return inBase
}

// addMultiMap is addMap for lists (quick replies): language → list of texts.
func (c *converter) addMultiMap(m map[string][]string, item, prop string) []string {
	var inBase []string
	langs := make([]string, 0, len(m))
	for lang := range m {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		vals := make([]string, len(m[lang]))
		for i, v := range m[lang] {
			vals[i] = c.tpl(v)
		}
		if lang == c.baseLanguage {
			inBase = vals
		} else {
			c.loc.add(lang, item, prop, vals)
		}
	}
	return inBase
}

// byLanguage turns a list of per-item translations into per-language lists, with "" where an
// item lacks a language.
func byLanguage(items []translations) map[string][]string {
	out := map[string][]string{}
	for i, item := range items {
		for lang, text := range item {
			if out[lang] == nil {
				out[lang] = make([]string, len(items))
			}
			out[lang][i] = text
		}
	}
	return out
}

func sortedLangs(t translations) []string {
	langs := make([]string, 0, len(t))
	for l := range t {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return langs
}
