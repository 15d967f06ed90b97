package flow

import (
	"encoding/json"
	"sort"
)

// Localization holds a flow's translations: language code → item UUID (action, case or
// category) → property name (text, quick_replies, arguments, name ...) → values. Values are
// lists of strings; anything else (editors store some metadata here) is kept on write but
// ignored by Get.
type Localization map[string]LanguageTranslation

// LanguageTranslation is one language's translations keyed by item UUID.
type LanguageTranslation map[string]ItemTranslation

// ItemTranslation is one item's translated properties.
type ItemTranslation map[string]json.RawMessage

// Languages returns the translated languages, sorted.
func (l Localization) Languages() []string {
	langs := make([]string, 0, len(l))
	for lang := range l {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	return langs
}

// Get returns the translation of one property of one item in lang, or nil when there is none.
// A translation of [] or [""] counts as none, as in the reference engine.
func (l Localization) Get(lang, itemUUID, property string) []string {
	raw, ok := l[lang][itemUUID][property]
	if !ok {
		return nil
	}
	var vals []string
	if err := json.Unmarshal(raw, &vals); err != nil {
		return nil
	}
	if len(vals) == 0 || len(vals) == 1 && vals[0] == "" {
		return nil
	}
	return vals
}

// Set stores a translation, creating the language and item as needed.
func (l Localization) Set(lang, itemUUID, property string, values []string) {
	lt := l[lang]
	if lt == nil {
		lt = LanguageTranslation{}
		l[lang] = lt
	}
	it := lt[itemUUID]
	if it == nil {
		it = ItemTranslation{}
		lt[itemUUID] = it
	}
	b, _ := json.Marshal(values)
	it[property] = b
}
