package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"careflow/flow"
	"careflow/store"
)

// changeLanguage makes another language the flow's base language (the React editor's "change
// language" from its language menu): every text translated into the new language becomes the
// base text, and the old base text becomes its translation into the old language. Texts with
// no translation stay as they are. The result is saved as a new revision.
func (w *Web) changeLanguage(rw http.ResponseWriter, r *http.Request) {
	ws, f, ok := w.flowOf(rw, r)
	if !ok {
		return
	}
	lang := r.URL.Query().Get("language")
	if lang == "" {
		lang = r.PostFormValue("language")
	}
	if len(lang) != 3 || strings.ToLower(lang) != lang {
		jsonError(rw, http.StatusBadRequest, "give language as an ISO 639-3 code, e.g. ?language=fra")
		return
	}
	var def map[string]any
	if err := json.Unmarshal(f.Definition, &def); err != nil {
		w.serverError(rw, r, err)
		return
	}
	old, _ := def["language"].(string)
	if old == lang {
		http.Redirect(rw, r, "/flow/editor/"+f.UUID+"/", http.StatusSeeOther)
		return
	}
	loc, _ := def["localization"].(map[string]any)
	if loc == nil {
		loc = map[string]any{}
	}
	items := map[string]map[string]any{}
	collectItems(def["nodes"], items)
	newTexts, _ := loc[lang].(map[string]any)
	oldTexts, _ := loc[old].(map[string]any)
	if oldTexts == nil {
		oldTexts = map[string]any{}
	}
	for uuid, props := range newTexts {
		item, ok := items[uuid]
		translated, ok2 := props.(map[string]any)
		if !ok || !ok2 {
			continue
		}
		saved := map[string]any{}
		for prop, values := range translated {
			list, _ := values.([]any)
			switch base := item[prop].(type) {
			case string:
				saved[prop] = []any{base}
				if len(list) > 0 {
					item[prop] = list[0]
				}
			case []any:
				saved[prop] = base
				item[prop] = list
			}
		}
		if len(saved) > 0 {
			oldTexts[uuid] = saved
		}
	}
	delete(loc, lang)
	if old != "" && len(oldTexts) > 0 {
		loc[old] = oldTexts
	}
	def["localization"], def["language"] = loc, lang
	data, _ := json.Marshal(def)
	fl, err := flow.Read(data)
	if err != nil {
		jsonError(rw, http.StatusBadRequest, "the flow cannot change to "+lang+": "+err.Error())
		return
	}
	if data, err = json.Marshal(fl); err != nil {
		w.serverError(rw, r, err)
		return
	}
	expect := f.Revision
	f.Definition, f.SpecVersion = data, fl.SpecVersion
	if err := w.cfg.Store.SaveFlow(r.Context(), f, expect, currentUser(r.Context()).Name); errors.Is(err, store.ErrConflict) {
		w.conflict(rw, r, f)
		return
	} else if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.cfg.Runtime.Invalidate(ws.ID)
	http.Redirect(rw, r, "/flow/editor/"+f.UUID+"/", http.StatusSeeOther)
}

// collectItems indexes every object with a uuid under v (actions, cases, categories, ...).
func collectItems(v any, out map[string]map[string]any) {
	switch t := v.(type) {
	case map[string]any:
		if u, ok := t["uuid"].(string); ok {
			out[u] = t
		}
		for _, c := range t {
			collectItems(c, out)
		}
	case []any:
		for _, c := range t {
			collectItems(c, out)
		}
	}
}
