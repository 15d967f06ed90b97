package chthttp

import (
	"careflow/internal/jsonbody"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"careflow/cht"
	"careflow/store"
)

// The views and search cht-conf's hierarchy operations (move-contacts, delete-contacts) read.

// contactTypes are the document types CHT's contacts_by_depth view indexes.
var contactTypes = []string{"contact", "person", "clinic", "health_center", "district_hospital"}

// scanPage is how many documents a scan reads at a time.
const scanPage = 500

// scanDocs calls fn with every live document matching q, a page at a time.
func (a *API) scanDocs(ctx context.Context, q store.DocQuery, fn func(store.Doc)) error {
	for offset := 0; ; offset += scanPage {
		q.Limit, q.Offset = scanPage, offset
		docs, err := a.Docs.Store.FindDocs(ctx, q)
		if err != nil {
			return err
		}
		for _, d := range docs {
			fn(d)
		}
		if len(docs) < scanPage {
			return nil
		}
	}
}

// contactsByDepth is medic/contacts_by_depth: [id] gives the contact id and every contact
// below it, [id, depth] those exactly depth levels below; the value is the contact's
// patient_id, else its place_id.
func (a *API) contactsByDepth(ctx context.Context, key json.RawMessage) ([]viewRow, error) {
	var k []json.RawMessage
	if json.Unmarshal(key, &k) != nil || len(k) < 1 || len(k) > 2 {
		return nil, nil
	}
	var id string
	if json.Unmarshal(k[0], &id) != nil {
		return nil, nil
	}
	depth := -1
	if len(k) == 2 {
		if json.Unmarshal(k[1], &depth) != nil || depth < 0 {
			return nil, nil
		}
	}
	root, err := a.Docs.Get(ctx, id)
	if err != nil {
		return nil, nil
	}
	var rows []viewRow
	level := []store.Doc{root}
	for d := 0; len(level) > 0; d++ {
		var next []store.Doc
		for _, doc := range level {
			if !slices.Contains(contactTypes, store.Index(doc.Fields).Type) {
				continue
			}
			if depth < 0 || depth == d {
				rows = append(rows, viewRow{ID: doc.ID, Key: key, Value: shortCode(doc.Fields)})
			}
			if depth >= 0 && d >= depth {
				continue
			}
			children, err := a.Docs.Store.FindDocs(ctx, store.DocQuery{ParentID: doc.ID})
			if err != nil {
				return nil, err
			}
			next = append(next, children...)
		}
		level = next
	}
	return rows, nil
}

// shortCode is a contact's patient_id || place_id, or nil.
func shortCode(fields json.RawMessage) any {
	var c struct {
		PatientID any `json:"patient_id"`
		PlaceID   any `json:"place_id"`
	}
	json.Unmarshal(fields, &c)
	if truthy(c.PatientID) {
		return c.PatientID
	}
	if truthy(c.PlaceID) {
		return c.PlaceID
	}
	return nil
}

func truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case string:
		return t != ""
	case float64:
		return t != 0
	case bool:
		return t
	}
	return true
}

// reportFields is what the report views read of a data_record.
type reportFields struct {
	Form         string          `json:"form"`
	ReportedDate any             `json:"reported_date"`
	PatientID    any             `json:"patient_id"`
	PlaceID      any             `json:"place_id"`
	Fields       map[string]any  `json:"fields"`
	Contact      json.RawMessage `json:"contact"`
}

// reportsBySubject is medic-client/reports_by_subject: a report with a form under each of its
// patient_id and place_id, and fields.patient_id, place_id, patient_uuid and place_uuid, with
// its reported_date as the value.
func (a *API) reportsBySubject(ctx context.Context, key json.RawMessage) ([]viewRow, error) {
	var rows []viewRow
	err := a.scanDocs(ctx, store.DocQuery{Type: "data_record"}, func(d store.Doc) {
		var rf reportFields
		if json.Unmarshal(d.Fields, &rf) != nil || rf.Form == "" {
			return
		}
		emits := []any{rf.PatientID, rf.PlaceID}
		for _, f := range []string{"patient_id", "place_id", "patient_uuid", "place_uuid"} {
			emits = append(emits, rf.Fields[f])
		}
		for _, v := range emits {
			if !truthy(v) {
				continue
			}
			if b, _ := json.Marshal(v); string(b) == string(compactJSON(key)) {
				rows = append(rows, viewRow{ID: d.ID, Key: v, Value: rf.ReportedDate})
			}
		}
	})
	return rows, err
}

func compactJSON(raw json.RawMessage) []byte {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return raw
	}
	b, _ := json.Marshal(v)
	return b
}

// exactContact is one term of the only query careflow's reports_by_freetext answers:
// exact_match:"contact:<id>", joined by OR, as cht-conf asks for reports by their submitters.
var exactContact = regexp.MustCompile(`^exact_match:"contact:([^"]*)"$`)

// reportsByFreetext answers CHT's nouveau search for reports submitted by the given
// contacts: {"hits":[{"id","doc"}],"bookmark"}, paged by limit with the bookmark.
func (a *API) reportsByFreetext(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	body, err := a.readCouchJSON(r, jsonbody.Limits{})
	if err != nil {
		return err
	}
	var req struct {
		Q           string `json:"q"`
		IncludeDocs bool   `json:"include_docs"`
		Limit       int    `json:"limit"`
		Bookmark    string `json:"bookmark"`
	}
	if json.Unmarshal(body, &req) != nil {
		return errBadJSON
	}
	submitters := map[string]bool{}
	for _, term := range strings.Split(req.Q, " OR ") {
		m := exactContact.FindStringSubmatch(strings.TrimSpace(term))
		if m == nil {
			return &cht.CouchError{Status: http.StatusBadRequest, Code: "bad_request", Reason: "careflow searches reports only by exact_match:\"contact:<id>\" terms"}
		}
		submitters[m[1]] = true
	}
	skip, _ := strconv.Atoi(req.Bookmark)
	limit := req.Limit
	if limit <= 0 {
		limit = 25
	}
	type hit struct {
		ID     string          `json:"id"`
		Doc    json.RawMessage `json:"doc,omitempty"`
		Fields map[string]any  `json:"fields"`
	}
	var hits []hit
	err = a.scanDocs(r.Context(), store.DocQuery{Type: "data_record"}, func(d store.Doc) {
		var rf reportFields
		if json.Unmarshal(d.Fields, &rf) != nil {
			return
		}
		var contact struct {
			ID string `json:"_id"`
		}
		if json.Unmarshal(rf.Contact, &contact) != nil || !submitters[contact.ID] {
			return
		}
		h := hit{ID: d.ID, Fields: map[string]any{}}
		if req.IncludeDocs {
			h.Doc = docJSON(d, false)
		}
		hits = append(hits, h)
	})
	if err != nil {
		return err
	}
	total := len(hits)
	hits = pageOf(hits, skip, limit)
	writeJSON(w, http.StatusOK, map[string]any{"total_hits": total, "total_hits_relation": "EQUAL_TO",
		"hits": hits, "bookmark": strconv.Itoa(skip + len(hits))})
	return nil
}
