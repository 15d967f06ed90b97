package chthttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"careflow/cht"
	"careflow/internal/jsonbody"
)

func (a *API) registerUsers(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/users", a.route(access{perms: []string{"can_edit", "can_create_users"}}, a.postUsers))
	mux.HandleFunc("GET /api/v1/users", a.route(access{perms: []string{"can_view_users"}}, a.getUsers))
	// Offline users may ask about themselves; Users.InfoScope checks online callers.
	mux.HandleFunc("GET /api/v1/users-info", a.route(access{}, a.getUsersInfo))
}

// getUsersInfo answers how many documents an offline user replicates (§7.4):
// {"total_docs","warn_docs","warn","limit"}.
func (a *API) getUsersInfo(w http.ResponseWriter, r *http.Request, u *cht.User) error {
	scope, err := a.Users.InfoScope(r.Context(), u, r.URL.Query())
	if err != nil {
		return err
	}
	counts, err := a.Users.Info(r.Context(), scope)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, counts)
	return nil
}

// postUsers creates one user (an object body) or several (an array body) as CHT's
// POST /api/v1/users does (§4.5). A single user's refusal is a 400 with the translatable error;
// in an array each user gets its own result, in input order.
func (a *API) postUsers(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	if !isJSONContent(r) {
		return errContentType
	}
	body, err := a.readJSON(r, jsonbody.Limits{})
	if err != nil {
		return err
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var list []json.RawMessage
		if err := json.Unmarshal(trimmed, &list); err != nil {
			return &cht.Error{Status: http.StatusBadRequest, Message: "Request body is not valid JSON"}
		}
		results := make([]any, len(list))
		for i, raw := range list {
			var obj map[string]any
			if json.Unmarshal(raw, &obj) != nil || obj == nil {
				results[i] = map[string]any{"error": "User must be an object"}
				continue
			}
			res, err := a.createUser(r, obj)
			if err != nil {
				results[i] = map[string]any{"error": arrayError(err)}
				var ce *cht.Error
				if !errors.As(err, &ce) {
					a.Log.Error("create user", "err", err)
				}
				continue
			}
			results[i] = res
		}
		writeJSON(w, http.StatusOK, results)
		return nil
	}
	var obj map[string]any
	if err := json.Unmarshal(trimmed, &obj); err != nil || obj == nil {
		return &cht.Error{Status: http.StatusBadRequest, Message: "Request body must be a user object or an array of them"}
	}
	res, err := a.createUser(r, obj)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (a *API) createUser(r *http.Request, obj map[string]any) (map[string]any, error) {
	created, err := a.Users.Create(r.Context(), cht.ParseNewUser(obj))
	if err != nil {
		return nil, err
	}
	ref := map[string]any{"id": created.ID, "rev": created.Rev}
	res := map[string]any{"user": ref, "user-settings": ref}
	if created.ContactID != "" {
		res["contact"] = map[string]any{"id": created.ContactID, "rev": created.ContactRev}
	}
	return res, nil
}

// arrayError is a user's error inside an array answer: a plain string for missing fields, the
// translatable object for the others.
func arrayError(err error) any {
	var ce *cht.Error
	if !errors.As(err, &ce) {
		return "Server error"
	}
	if ce.Translation == nil || ce.Translation.Key == "fields.required" {
		return ce.Message
	}
	return ce.Translation
}

// getUsers lists the users as CHT's GET /api/v1/users does (no secrets).
func (a *API) getUsers(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	users, err := a.Users.List(r.Context())
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(users))
	for _, u := range users {
		var profile map[string]any
		json.Unmarshal(u.Settings, &profile)
		item := map[string]any{"id": cht.UserIDPrefix + u.Name, "rev": u.Rev, "username": u.Name, "roles": u.Roles}
		if len(u.Roles) > 0 {
			item["type"] = u.Roles[0]
		}
		for _, k := range []string{"fullname", "email", "phone", "known", "external_id"} {
			if v, ok := profile[k]; ok {
				item[k] = v
			}
		}
		if v, ok := profile["facility_id"]; ok {
			item["place"] = map[string]any{"_id": v}
		}
		if v, ok := profile["contact_id"]; ok {
			item["contact"] = map[string]any{"_id": v}
		}
		out = append(out, item)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
