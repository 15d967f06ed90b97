package engine

import (
	"encoding/json"
	"strings"
	"unicode"

	"careflow/engine/event"
	"careflow/flow"
)

// Snakify turns a result name into its key: runs of characters other than letters, digits and
// underscores become one underscore, trimmed and lowercased.
func Snakify(name string) string {
	var b strings.Builder
	pending := false
	for _, r := range strings.TrimSpace(name) {
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteRune(unicode.ToLower(r))
		} else {
			pending = true
		}
	}
	return b.String()
}

// SaveResult stores a result and logs run_result_changed when it is new or changed.
func (r *Run) SaveResult(name, value, category, categoryLocalized string, node flow.NodeUUID, input string, extra json.RawMessage) {
	s := r.session
	value = Truncate(value, s.eng.MaxResultChars)
	if categoryLocalized == category {
		categoryLocalized = ""
	}
	key := Snakify(name)
	if r.Results == nil {
		r.Results = map[string]*Result{}
	}
	prev := r.Results[key]
	r.Results[key] = &Result{Name: name, Value: value, Category: category, CategoryLocalized: categoryLocalized,
		NodeUUID: node, Input: input, Extra: extra, CreatedOn: s.now()}
	r.ModifiedOn = s.now()
	r.resultsGen++
	r.stateGen++
	s.changed()
	if prev != nil && prev.Value == value && prev.Category == category {
		return
	}
	var p *event.ResultPrevious
	if prev != nil {
		p = &event.ResultPrevious{Value: prev.Value, Category: prev.Category}
	}
	s.Log(event.NewRunResultChanged(name, value, category, extra, p))
}
