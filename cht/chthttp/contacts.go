package chthttp

import (
	"bytes"
	"encoding/json"
	"net/http"

	"careflow/cht"
	"careflow/internal/jsonbody"
)

func (a *API) registerContacts(mux *http.ServeMux) {
	byPhone := a.route(access{online: true}, a.contactsByPhone)
	mux.HandleFunc("GET /api/v1/contacts-by-phone", byPhone)
	mux.HandleFunc("POST /api/v1/contacts-by-phone", byPhone)
	mux.HandleFunc("POST /api/v1/people", a.route(access{perms: []string{"can_create_people"}}, a.postPerson))
	mux.HandleFunc("POST /api/v1/places", a.route(access{perms: []string{"can_create_places"}}, a.postPlace))
	mux.HandleFunc("GET /api/v1/person/{id}", a.route(access{perms: []string{"can_view_contacts"}}, a.getContact("person")))
	mux.HandleFunc("GET /api/v1/place/{id}", a.route(access{perms: []string{"can_view_contacts"}}, a.getContact("place")))
}

// contactsByPhone answers {"ok":true,"docs":[hydrated contacts]} for ?phone= or a JSON body's
// phone (the query wins), §3.
func (a *API) contactsByPhone(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	phone := r.URL.Query().Get("phone")
	if phone == "" && r.Method == http.MethodPost {
		body, err := a.readJSON(r, jsonbody.Limits{AllowEmpty: true})
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(body)) > 0 {
			var req map[string]any
			if err := json.Unmarshal(body, &req); err != nil {
				return &cht.Error{Status: http.StatusBadRequest, Message: "malformed JSON body: the body must be a JSON object"}
			}
			s, isStr := req["phone"].(string)
			if _, given := req["phone"]; given && !isStr {
				return cht.ErrBadPhone
			}
			phone = s
		}
	}
	docs, err := a.Contacts.ByPhone(r.Context(), phone)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		OK   bool              `json:"ok"`
		Docs []json.RawMessage `json:"docs"`
	}{true, docs})
	return nil
}

func (a *API) postPerson(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	body, err := a.readJSONBody(r)
	if err != nil {
		return err
	}
	created, err := a.Contacts.CreatePerson(r.Context(), body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, created)
	return nil
}

func (a *API) postPlace(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	body, err := a.readJSONBody(r)
	if err != nil {
		return err
	}
	created, err := a.Contacts.CreatePlace(r.Context(), body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, created)
	return nil
}

// getContact reads a person or place by id (CHT's /api/v1/person/{uuid}); ?with_lineage=true
// hydrates its parents and contacts.
func (a *API) getContact(kind string) handler {
	return func(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
		doc, err := a.Contacts.Get(r.Context(), kind, r.PathValue("id"), r.URL.Query().Get("with_lineage") == "true")
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(doc)
		return nil
	}
}

func (a *API) readJSONBody(r *http.Request) ([]byte, error) {
	if !isJSONContent(r) {
		return nil, errContentType
	}
	return a.readJSON(r, jsonbody.Limits{})
}
