package chthttp

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"careflow/cht"
	"careflow/internal/jsonbody"
	"careflow/store"
)

// The CouchDB endpoints of the medic database that cht-conf (through PouchDB) uses to upload
// contacts (§7.3), with CouchDB's answers and error shapes. Writes need can_edit and an
// online user, as CHT's API demands before proxying them.

func (a *API) registerCouch(mux *http.ServeMux) {
	read := access{online: true}
	write := access{online: true, perms: []string{"can_edit"}}
	mux.HandleFunc("GET /medic/{$}", a.route(access{}, a.getDBInfo))
	mux.HandleFunc("GET /medic", a.route(access{}, a.getDBInfo))
	mux.HandleFunc("POST /medic/_bulk_docs", a.route(write, a.bulkDocs))
	mux.HandleFunc("GET /medic/{id}", a.route(read, a.getDoc))
	mux.HandleFunc("PUT /medic/{id}", a.route(write, a.putDoc))
	mux.HandleFunc("DELETE /medic/{id}", a.route(write, a.deleteDoc))
	// Design documents are addressed with a plain slash too (/medic/_design/name).
	mux.HandleFunc("GET /medic/_design/{name}", a.route(read, designDoc(a.getDoc)))
	mux.HandleFunc("PUT /medic/_design/{name}", a.route(write, designDoc(a.putDoc)))
	mux.HandleFunc("DELETE /medic/_design/{name}", a.route(write, designDoc(a.deleteDoc)))
	mux.HandleFunc("GET /medic/{id}/{att...}", a.route(read, a.getAttachment))
	a.registerCouchViews(mux, read)
}

var (
	errDocMissing  = &cht.CouchError{Status: http.StatusNotFound, Code: "not_found", Reason: "missing"}
	errDocConflict = &cht.CouchError{Status: http.StatusConflict, Code: "conflict", Reason: "Document update conflict."}
	errBadJSON     = &cht.CouchError{Status: http.StatusBadRequest, Code: "bad_request", Reason: "the body must be a JSON object with a docs array"}
)

// getDBInfo answers CouchDB's database information, which cht-conf probes for availability.
func (a *API) getDBInfo(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	n, err := a.Docs.Store.CountDocs(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"db_name": "medic", "doc_count": n, "doc_del_count": 0, "update_seq": "0", "purge_seq": "0",
		"compact_running": false, "disk_format_version": 8, "instance_start_time": "0",
		"sizes": map[string]any{"file": 0, "external": 0, "active": 0}, "props": map[string]any{},
	})
	return nil
}

// bulkDocs writes {"docs":[…]} in one transaction and answers one result per doc, in order:
// {"ok":true,"id","rev"} or {"id","error","reason"} (201 overall, as CouchDB).
func (a *API) bulkDocs(w http.ResponseWriter, r *http.Request, u *cht.User) error {
	// The envelope is read laxly and each document checked on its own, so one bad document
	// fails alone, as CouchDB fails a document its validation refuses.
	body, err := a.readCouchJSON(r, jsonbody.Limits{Lax: true})
	if err != nil {
		return err
	}
	var req struct {
		Docs     []json.RawMessage `json:"docs"`
		NewEdits *bool             `json:"new_edits"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return errBadJSON
	}
	if req.Docs == nil {
		return &cht.CouchError{Status: http.StatusBadRequest, Code: "bad_request", Reason: "POST body must include `docs` parameter."}
	}
	if req.NewEdits != nil && !*req.NewEdits {
		return &cht.CouchError{Status: http.StatusBadRequest, Code: "bad_request", Reason: "new_edits=false (replication) is not supported"}
	}
	results := make([]any, len(req.Docs))
	var writes []store.DocWrite
	var slots []int
	for i, raw := range req.Docs {
		if err := jsonbody.Check(raw, jsonbody.Limits{MaxDepth: a.Limits.MaxDepth}); err != nil {
			results[i] = couchResult(bestEffortID(raw), &cht.CouchError{Code: "bad_request", Reason: "invalid JSON: " + err.Error()})
			continue
		}
		dw, err := docWriteFrom(raw, "")
		if err == nil {
			err = canWrite(u, dw.ID)
		}
		if err == nil {
			dw, err = a.withAttachments(r.Context(), dw)
		}
		if err != nil {
			results[i] = couchResult(dw.ID, err)
			continue
		}
		writes = append(writes, dw)
		slots = append(slots, i)
	}
	if len(writes) > 0 {
		res, err := a.Docs.Write(r.Context(), writes)
		if err != nil {
			return err
		}
		for j, rr := range res {
			results[slots[j]] = writeResult(rr)
		}
	}
	writeJSON(w, http.StatusCreated, results)
	return nil
}

// getDoc returns a document as CouchDB does (_id and _rev first).
func (a *API) getDoc(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	d, err := a.Docs.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		return errDocMissing
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(docJSON(d, r.URL.Query().Get("attachments") == "true"))
	return nil
}

// putDoc creates or updates the document {id}; the revision comes from the body's _rev or
// ?rev=.
func (a *API) putDoc(w http.ResponseWriter, r *http.Request, u *cht.User) error {
	if err := canWrite(u, r.PathValue("id")); err != nil {
		return err
	}
	body, err := a.readCouchJSON(r, jsonbody.Limits{})
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	dw, err := docWriteFrom(body, id)
	if err != nil {
		return err
	}
	if dw.Rev == "" {
		dw.Rev = r.URL.Query().Get("rev")
	}
	if dw, err = a.withAttachments(r.Context(), dw); err != nil {
		return err
	}
	return a.writeOne(w, r, dw)
}

// deleteDoc deletes the document {id} at ?rev=.
func (a *API) deleteDoc(w http.ResponseWriter, r *http.Request, u *cht.User) error {
	id := r.PathValue("id")
	if err := canWrite(u, id); err != nil {
		return err
	}
	if _, err := a.Docs.Get(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		return errDocMissing
	}
	return a.writeOne(w, r, store.DocWrite{ID: id, Rev: r.URL.Query().Get("rev"), Deleted: true, Fields: []byte("{}")})
}

func (a *API) writeOne(w http.ResponseWriter, r *http.Request, dw store.DocWrite) error {
	res, err := a.Docs.Write(r.Context(), []store.DocWrite{dw})
	if err != nil {
		return err
	}
	if res[0].Err != nil {
		if errors.Is(res[0].Err, store.ErrConflict) {
			return errDocConflict
		}
		if errors.Is(res[0].Err, store.ErrNotFound) {
			return errDocMissing
		}
		return res[0].Err
	}
	writeJSON(w, http.StatusCreated, docSaved{OK: true, ID: res[0].ID, Rev: res[0].Rev})
	return nil
}

// docWriteFrom reads a document body; pathID, when given, is the id from the URL (a
// different _id in the body is refused). A new document without an id gets one.
func docWriteFrom(body []byte, pathID string) (store.DocWrite, error) {
	dw, err := store.SplitDoc(body)
	if err != nil {
		return dw, &cht.CouchError{Status: http.StatusBadRequest, Code: "bad_request", Reason: "Document must be a JSON object"}
	}
	if pathID != "" {
		if dw.ID != "" && dw.ID != pathID {
			return dw, &cht.CouchError{Status: http.StatusBadRequest, Code: "bad_request", Reason: "Document id must match the URL"}
		}
		dw.ID = pathID
	}
	if dw.ID == "" {
		dw.ID = cht.NewDocID()
	}
	if strings.HasPrefix(dw.ID, "_") && !strings.HasPrefix(dw.ID, "_design/") && !strings.HasPrefix(dw.ID, "_local/") {
		return dw, &cht.CouchError{Status: http.StatusBadRequest, Code: "illegal_docid", Reason: "Only reserved document ids may start with underscore."}
	}
	return dw, nil
}

// docSaved is CouchDB's answer for a written document.
type docSaved struct {
	OK  bool   `json:"ok"`
	ID  string `json:"id"`
	Rev string `json:"rev"`
}

func writeResult(rr store.DocResult) any {
	if rr.Err != nil {
		return couchResult(rr.ID, rr.Err)
	}
	return docSaved{OK: true, ID: rr.ID, Rev: rr.Rev}
}

func couchResult(id string, err error) couchErrorBody {
	var ce *cht.CouchError
	switch {
	case errors.Is(err, store.ErrConflict):
		ce = errDocConflict
	case errors.Is(err, store.ErrNotFound):
		ce = errDocMissing
	case errors.As(err, &ce):
	default:
		ce = &cht.CouchError{Code: "error", Reason: err.Error()}
	}
	return couchErrorBody{ID: id, Error: ce.Code, Reason: ce.Reason}
}

// bestEffortID is the _id of a document refused before it was read, when it has a plain one,
// so its result can still name it.
func bestEffortID(raw []byte) string {
	var head struct {
		ID string `json:"_id"`
	}
	if json.Unmarshal(raw, &head) != nil || badText(head.ID) != "" {
		return ""
	}
	return head.ID
}

// errNotAdmin is CouchDB's refusal of a design document write by a user who is not an admin.
var errNotAdmin = &cht.CouchError{Status: http.StatusUnauthorized, Code: "unauthorized", Reason: "You are not a db or server admin."}

// canWrite refuses design documents to everyone but admins, as CouchDB does: a design
// document holds views and validation functions, which decide what every user sees.
func canWrite(u *cht.User, id string) error {
	if strings.HasPrefix(id, "_design/") && !u.IsAdmin() {
		return errNotAdmin
	}
	return nil
}

// designDoc serves /medic/_design/{name} with the handler of /medic/{id}.
func designDoc(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, u *cht.User) error {
		r.SetPathValue("id", "_design/"+r.PathValue("name"))
		return h(w, r, u)
	}
}
