package chthttp

import (
	"careflow/internal/jsonbody"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"careflow/cht"
	"careflow/store"
)

// The read side of the medic database that cht-conf's default deploy, move-contacts and
// delete-contacts use through PouchDB: _all_docs (GET, and POST with {"keys"}), the few CHT
// views they query, and the nouveau reports_by_freetext search CHT ≥ 5 answers for "reports
// created by these contacts". careflow keeps no map/reduce index; each view is answered from
// the store's indexed columns, scanning reports where CHT's view would index their bodies.

func (a *API) registerCouchViews(mux *http.ServeMux, read access) {
	mux.HandleFunc("GET /medic/_all_docs", a.route(read, a.allDocs))
	mux.HandleFunc("POST /medic/_all_docs", a.route(read, a.allDocs))
	mux.HandleFunc("GET /medic/_design/{ddoc}/_view/{view}", a.route(read, a.queryView))
	mux.HandleFunc("POST /medic/_design/{ddoc}/_view/{view}", a.route(read, a.queryView))
	mux.HandleFunc("POST /medic/_design/medic/_nouveau/reports_by_freetext", a.route(read, a.reportsByFreetext))
}

// viewParams are CouchDB's query parameters for _all_docs and views, read from the query
// string (JSON-encoded values, as CouchDB takes them) and, for POST, the JSON body.
type viewParams struct {
	Keys        []json.RawMessage `json:"keys"`
	Key         json.RawMessage   `json:"key"`
	IncludeDocs bool              `json:"include_docs"`
	Attachments bool              `json:"attachments"`
	Limit       int               `json:"limit"`
	Skip        int               `json:"skip"`
}

func (a *API) readViewParams(r *http.Request) (viewParams, error) {
	var p viewParams
	bad := func(reason string) error {
		return &cht.CouchError{Status: http.StatusBadRequest, Code: "query_parse_error", Reason: reason}
	}
	if r.Method == http.MethodPost {
		body, err := a.readCouchJSON(r, jsonbody.Limits{Lax: true})
		if err != nil {
			return p, err
		}
		if len(strings.TrimSpace(string(body))) > 0 {
			if err := json.Unmarshal(body, &p); err != nil {
				return p, errBadJSON
			}
		}
	}
	q := r.URL.Query()
	for _, name := range []string{"startkey", "endkey", "start_key", "end_key", "descending", "group", "group_level"} {
		if q.Has(name) {
			return p, bad(name + " is not supported by careflow")
		}
	}
	if v := q.Get("keys"); v != "" {
		if err := json.Unmarshal([]byte(v), &p.Keys); err != nil {
			return p, bad("Invalid value for keys")
		}
	}
	if v := q.Get("key"); v != "" {
		if !json.Valid([]byte(v)) {
			return p, bad("Invalid value for key")
		}
		p.Key = json.RawMessage(v)
	}
	for name, dst := range map[string]*bool{"include_docs": &p.IncludeDocs, "attachments": &p.Attachments} {
		if v := q.Get(name); v != "" {
			*dst = v == "true"
		}
	}
	for name, dst := range map[string]*int{"limit": &p.Limit, "skip": &p.Skip} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return p, bad("Invalid value for " + name)
			}
			*dst = n
		}
	}
	if p.Key != nil {
		p.Keys = []json.RawMessage{p.Key}
	}
	return p, nil
}

// viewRow is one row of a view or _all_docs answer.
type viewRow struct {
	ID    string          `json:"id,omitempty"`
	Key   any             `json:"key"`
	Value any             `json:"value"`
	Doc   json.RawMessage `json:"doc,omitempty"`
	Error string          `json:"error,omitempty"`
}

type viewResult struct {
	TotalRows int       `json:"total_rows"`
	Offset    int       `json:"offset"`
	Rows      []viewRow `json:"rows"`
}

// page applies skip and limit to rows, as CouchDB does after selecting by key.
func (p viewParams) page(rows []viewRow) []viewRow { return pageOf(rows, p.Skip, p.Limit) }

// pageOf is s without its first skip elements, cut to limit (0: no limit).
func pageOf[T any](s []T, skip, limit int) []T {
	if skip >= len(s) {
		return []T{}
	}
	s = s[skip:]
	if limit > 0 && limit < len(s) {
		s = s[:limit]
	}
	return s
}

// allDocs answers _all_docs: with keys, one row per key in order ({"key","error":"not_found"}
// for a missing or deleted document); without, every live document by id.
func (a *API) allDocs(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	p, err := a.readViewParams(r)
	if err != nil {
		return err
	}
	total, err := a.Docs.Store.CountDocs(r.Context())
	if err != nil {
		return err
	}
	var rows []viewRow
	if p.Keys != nil {
		ids := make([]string, 0, len(p.Keys))
		for _, k := range p.Keys {
			var id string
			if json.Unmarshal(k, &id) == nil {
				ids = append(ids, id)
			}
		}
		docs, err := a.Docs.Store.GetDocs(r.Context(), ids)
		if err != nil {
			return err
		}
		byID := make(map[string]store.Doc, len(docs))
		for _, d := range docs {
			byID[d.ID] = d
		}
		for _, k := range p.Keys {
			var id string
			json.Unmarshal(k, &id)
			d, ok := byID[id]
			if !ok {
				rows = append(rows, viewRow{Key: k, Error: "not_found"})
				continue
			}
			rows = append(rows, a.docRow(d, id, map[string]string{"rev": d.Rev}, p))
		}
		rows = p.page(rows)
	} else {
		docs, err := a.Docs.Store.FindDocs(r.Context(), store.DocQuery{Limit: p.Limit, Offset: p.Skip})
		if err != nil {
			return err
		}
		rows = []viewRow{}
		for _, d := range docs {
			rows = append(rows, a.docRow(d, d.ID, map[string]string{"rev": d.Rev}, p))
		}
	}
	writeJSON(w, http.StatusOK, viewResult{TotalRows: int(total), Offset: p.Skip, Rows: rows})
	return nil
}

func (a *API) docRow(d store.Doc, key, value any, p viewParams) viewRow {
	row := viewRow{ID: d.ID, Key: key, Value: value}
	if p.IncludeDocs {
		row.Doc = docJSON(d, p.Attachments)
	}
	return row
}

// views are the CHT views careflow answers, by "ddoc/view".
var views = map[string]func(a *API, ctx context.Context, key json.RawMessage) ([]viewRow, error){
	"medic-client/doc_by_type":        (*API).docByType,
	"medic/contacts_by_depth":         (*API).contactsByDepth,
	"medic-client/reports_by_subject": (*API).reportsBySubject,
}

// queryView answers a view query with key or keys (every key is required: careflow cannot
// list a whole view). Rows come per key in the order asked, by document id within a key.
// total_rows counts the rows the keys select.
func (a *API) queryView(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	ddoc, name := r.PathValue("ddoc"), r.PathValue("view")
	fn, ok := views[ddoc+"/"+name]
	if !ok {
		if ddoc != "medic" && ddoc != "medic-client" {
			return errDocMissing
		}
		return &cht.CouchError{Status: http.StatusNotFound, Code: "not_found", Reason: "missing_named_view"}
	}
	p, err := a.readViewParams(r)
	if err != nil {
		return err
	}
	if p.Keys == nil {
		return &cht.CouchError{Status: http.StatusBadRequest, Code: "query_parse_error", Reason: "careflow answers " + ddoc + "/" + name + " only for given keys"}
	}
	var rows []viewRow
	for _, k := range p.Keys {
		got, err := fn(a, r.Context(), k)
		if err != nil {
			return err
		}
		slices.SortStableFunc(got, func(x, y viewRow) int { return strings.Compare(x.ID, y.ID) })
		rows = append(rows, got...)
	}
	total := len(rows)
	rows = p.page(rows)
	if p.IncludeDocs {
		if err := a.attachDocs(r.Context(), rows, p.Attachments); err != nil {
			return err
		}
	}
	if rows == nil {
		rows = []viewRow{}
	}
	writeJSON(w, http.StatusOK, viewResult{TotalRows: total, Offset: p.Skip, Rows: rows})
	return nil
}

// attachDocs fills each row's doc, as include_docs does (null for a document gone since).
func (a *API) attachDocs(ctx context.Context, rows []viewRow, withData bool) error {
	ids := make([]string, len(rows))
	for i, row := range rows {
		ids[i] = row.ID
	}
	docs, err := a.Docs.Store.GetDocs(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[string]store.Doc, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	for i := range rows {
		if d, ok := byID[rows[i].ID]; ok {
			rows[i].Doc = docJSON(d, withData)
		} else {
			rows[i].Doc = json.RawMessage("null")
		}
	}
	return nil
}

// docByType is medic-client/doc_by_type: every document under [type].
func (a *API) docByType(ctx context.Context, key json.RawMessage) ([]viewRow, error) {
	var k []string
	if json.Unmarshal(key, &k) != nil || len(k) != 1 || k[0] == "" {
		return nil, nil
	}
	docs, err := a.Docs.Store.FindDocs(ctx, store.DocQuery{Type: k[0]})
	if err != nil {
		return nil, err
	}
	rows := make([]viewRow, len(docs))
	for i, d := range docs {
		rows[i] = viewRow{ID: d.ID, Key: []string{k[0]}, Value: nil}
	}
	return rows, nil
}
