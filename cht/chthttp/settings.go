package chthttp

import (
	"encoding/json"
	"net/http"
	"strings"

	"careflow/cht"
	"careflow/internal/jsonbody"
)

// CHTVersion is the CHT API version careflow answers as (the cht-core read for the spec).
const CHTVersion = "5.2.0"

func (a *API) registerSettings(mux *http.ServeMux) {
	read := access{prompt: true}
	write := access{prompt: true, perms: []string{"can_edit", "can_configure"}}
	mux.HandleFunc("GET /api/v1/settings", a.route(read, a.getSettings))
	mux.HandleFunc("PUT /api/v1/settings", a.route(write, a.putSettings))
	mux.HandleFunc("PUT /medic/_design/medic/_rewrite/update_settings/medic", a.route(write, a.putSettings))
	mux.HandleFunc("GET /medic/_design/medic/_rewrite/app_settings/medic", a.route(read, a.getLegacySettings))
	mux.HandleFunc("GET /medic/_design/medic/_rewrite/app_settings/medic/{path...}", a.route(read, a.getLegacySettings))
	mux.HandleFunc("GET /api/v1/settings/deprecated-transitions", a.route(read, a.getDeprecatedTransitions))
	mux.HandleFunc("GET /api/deploy-info", a.route(access{}, a.getDeployInfo))
}

func (a *API) getSettings(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	raw, err := a.Settings.Raw(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(raw)
	return nil
}

// putSettings merges the body into the settings (§7.1): overwrite when ?overwrite= is given
// (any non-empty value), shallow when ?replace= is, deep otherwise.
func (a *API) putSettings(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	if !isJSONContent(r) {
		return errContentType
	}
	body, err := a.readJSONAs(r, jsonbody.Limits{}, "settings must be a JSON object: ")
	if err != nil {
		return err
	}
	mode := cht.MergeDeep
	switch q := r.URL.Query(); {
	case q.Get("overwrite") != "":
		mode = cht.MergeOverwrite
	case q.Get("replace") != "":
		mode = cht.MergeShallow
	}
	updated, warnings, err := a.Settings.UpdateWarn(r.Context(), body, mode)
	if err != nil {
		return err
	}
	answer := map[string]any{"success": true, "updated": updated}
	if len(warnings) > 0 {
		for _, msg := range warnings {
			a.Log.Warn("settings saved with a warning", "warning", msg)
		}
		answer["warnings"] = warnings
	}
	writeJSON(w, http.StatusOK, answer)
	return nil
}

// getLegacySettings answers the old app_settings rewrite: {"settings":…,"meta":{},"schema":{}},
// settings being the value at the dotted path when one is given ({} when there is none).
func (a *API) getLegacySettings(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	settings, err := a.Settings.Get(r.Context())
	if err != nil {
		return err
	}
	var value any = settings
	if p := r.PathValue("path"); p != "" {
		for _, step := range strings.Split(strings.ReplaceAll(p, "/", "."), ".") {
			m, ok := value.(map[string]any)
			if !ok {
				value = nil
				break
			}
			value = m[step]
		}
		if value == nil {
			value = map[string]any{}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"settings": value, "meta": map[string]any{}, "schema": map[string]any{}})
	return nil
}

// getDeprecatedTransitions lists deprecated transitions; careflow runs none of them.
func (a *API) getDeprecatedTransitions(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	writeJSON(w, http.StatusOK, []any{})
	return nil
}

// getDeployInfo tells clients (cht-conf) which CHT version to expect.
func (a *API) getDeployInfo(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	writeJSON(w, http.StatusOK, map[string]any{"version": CHTVersion, "base_version": CHTVersion, "user": "careflow"})
	return nil
}

// decodeJSON is json.Unmarshal keeping numbers exact.
func decodeJSON(b []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	return dec.Decode(v)
}
