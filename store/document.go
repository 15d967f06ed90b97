package store

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Doc is a CouchDB-style document: schemaless JSON identified by ID, versioned by Rev.
// Fields holds the document's own top-level members in their original order, without _id,
// _rev and _deleted, which the store owns. The indexed columns are derived from Fields by
// Index, so they can never disagree with the body.
type Doc struct {
	ID      string
	Rev     string
	Deleted bool
	Fields  json.RawMessage
	// Seq orders writes: every write of any document gets a higher one.
	Seq int64
}

// DocIndex is what the store indexes of a document for querying.
type DocIndex struct {
	Type         string
	ContactType  string
	Form         string
	Phone        string
	ParentID     string
	ReportedDate int64
	// PatientID, PlaceID and RCCode are CHT's contacts_by_reference keys of a contact
	// (["shortcode", patient_id|place_id], ["external", upper(rc_code)]); empty for other docs.
	PatientID string
	PlaceID   string
	RCCode    string
}

// DocQuery selects live documents; empty members do not filter. Results are ordered by ID.
type DocQuery struct {
	IDs         []string
	Type        string
	ContactType string
	Form        string
	Phone       string
	ParentID    string
	// ShortCode matches a contact's patient_id or place_id; RCCode its upper-cased rc_code
	// (compared as given, so pass it upper-cased).
	ShortCode string
	RCCode    string
	Limit     int // 0: no limit
	Offset    int
}

// DocWrite is one document to create, update or delete. Rev must be the current revision for
// an update or delete, and empty to create (or re-create over a deleted document).
type DocWrite struct {
	ID      string
	Rev     string
	Deleted bool
	Fields  json.RawMessage
	// Idempotency, when set, is recorded in the same transaction as the write; if its key is
	// already recorded the write is skipped and its result is ErrReplay.
	Idempotency *Idempotency
}

// DocResult is the outcome of one DocWrite: the new revision, or Err (ErrConflict).
type DocResult struct {
	ID  string
	Rev string
	Seq int64
	Err error
}

// DocChange is one entry of the document outbox: a committed write that work hooked on
// document writes (outbound push) has still to look at. It is written in the same
// transaction as the document, so no accepted write can be missed after a crash.
type DocChange struct {
	Seq   int64
	DocID string
	Rev   string
}

// DocStore keeps documents.
type DocStore interface {
	// GetDoc returns the current revision of a live document, or ErrNotFound.
	GetDoc(ctx context.Context, id string) (Doc, error)
	// GetDocs returns the live documents among ids, in the order asked, skipping missing ones.
	GetDocs(ctx context.Context, ids []string) ([]Doc, error)
	// FindDocs returns the live documents matching q.
	FindDocs(ctx context.Context, q DocQuery) ([]Doc, error)
	// CountDocs counts the live documents.
	CountDocs(ctx context.Context) (int64, error)
	// WriteDocs applies the writes in one transaction. A write whose Rev is not current gets
	// ErrConflict in its result and changes nothing, one whose idempotency key is recorded
	// already gets ErrReplay; the others still apply. Each applied write
	// also adds a DocChange to the outbox.
	WriteDocs(ctx context.Context, writes []DocWrite) ([]DocResult, error)
	// ReadDocChanges returns up to limit outbox entries with Seq > after, oldest first.
	// On PostgreSQL, concurrent transactions can commit sequence numbers out of order, so a
	// consumer must not treat "after" as a cursor that never looks back: it reads from 0 and
	// deletes the entries it has finished with.
	ReadDocChanges(ctx context.Context, after int64, limit int) ([]DocChange, error)
	// DeleteDocChanges removes the outbox entries with the given Seqs once their consumer is done.
	DeleteDocChanges(ctx context.Context, seqs []int64) error
}

// JSON renders the document as CouchDB does: _id and _rev first, then its own fields.
func (d Doc) JSON() json.RawMessage {
	var b bytes.Buffer
	b.WriteString(`{"_id":`)
	id, _ := json.Marshal(d.ID)
	b.Write(id)
	if d.Rev != "" {
		b.WriteString(`,"_rev":`)
		rev, _ := json.Marshal(d.Rev)
		b.Write(rev)
	}
	if d.Deleted {
		b.WriteString(`,"_deleted":true`)
	}
	inner := bytes.TrimSpace(d.Fields)
	if len(inner) > 2 {
		b.WriteByte(',')
		b.Write(inner[1 : len(inner)-1])
	}
	b.WriteByte('}')
	return b.Bytes()
}

// SplitDoc takes a full JSON document and separates the members the store owns (_id, _rev,
// _deleted) from the document's own fields, keeping their order and exact bytes.
func SplitDoc(body []byte) (w DocWrite, err error) {
	members, err := ObjectMembers(body)
	if err != nil {
		return w, err
	}
	var fields bytes.Buffer
	fields.WriteByte('{')
	for _, m := range members {
		switch m.Key {
		case "_id":
			if err := json.Unmarshal(m.Value, &w.ID); err != nil {
				return w, fmt.Errorf("_id must be a string")
			}
			continue
		case "_rev":
			if err := json.Unmarshal(m.Value, &w.Rev); err != nil {
				return w, fmt.Errorf("_rev must be a string")
			}
			continue
		case "_deleted":
			if err := json.Unmarshal(m.Value, &w.Deleted); err != nil {
				return w, fmt.Errorf("_deleted must be a boolean")
			}
			continue
		}
		if fields.Len() > 1 {
			fields.WriteByte(',')
		}
		k, _ := json.Marshal(m.Key)
		fields.Write(k)
		fields.WriteByte(':')
		fields.Write(m.Value)
	}
	fields.WriteByte('}')
	w.Fields = fields.Bytes()
	return w, nil
}

// Member is one top-level member of a JSON object.
type Member struct {
	Key   string
	Value json.RawMessage
}

// ObjectMembers lists the members of a JSON object in their original order, with their values'
// exact bytes (compacted of surrounding space only).
func ObjectMembers(body []byte) ([]Member, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("a document must be a JSON object")
	}
	var out []Member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		key := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		out = append(out, Member{Key: key, Value: raw})
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("invalid JSON: trailing data")
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("invalid JSON: trailing data")
	}
	return out, nil
}

// Index derives the indexed columns from a document's fields. Reports are found by form,
// contacts by type/contact_type, phone and parent, as CHT's views do.
func Index(fields json.RawMessage) DocIndex {
	var d struct {
		Type         string          `json:"type"`
		ContactType  string          `json:"contact_type"`
		Form         string          `json:"form"`
		Phone        json.RawMessage `json:"phone"`
		Parent       json.RawMessage `json:"parent"`
		ReportedDate json.Number     `json:"reported_date"`
		PatientID    json.RawMessage `json:"patient_id"`
		PlaceID      json.RawMessage `json:"place_id"`
		RCCode       json.RawMessage `json:"rc_code"`
	}
	dec := json.NewDecoder(bytes.NewReader(fields))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		// A field of an unexpected type (say "type": 3) leaves the rest unindexed rather than
		// refusing a schemaless document.
		var loose map[string]json.RawMessage
		_ = json.Unmarshal(fields, &loose)
		_ = json.Unmarshal(loose["type"], &d.Type)
		_ = json.Unmarshal(loose["contact_type"], &d.ContactType)
		_ = json.Unmarshal(loose["form"], &d.Form)
		d.Phone, d.Parent = loose["phone"], loose["parent"]
		d.PatientID, d.PlaceID, d.RCCode = loose["patient_id"], loose["place_id"], loose["rc_code"]
	}
	idx := DocIndex{Type: d.Type, ContactType: d.ContactType, Form: d.Form}
	_ = json.Unmarshal(d.Phone, &idx.Phone)
	var parent struct {
		ID string `json:"_id"`
	}
	if json.Unmarshal(d.Parent, &parent) == nil {
		idx.ParentID = parent.ID
	}
	if f, err := strconv.ParseFloat(string(d.ReportedDate), 64); err == nil {
		idx.ReportedDate = int64(f)
	}
	if slices.Contains(referenceTypes, idx.Type) {
		idx.PatientID = refKey(d.PatientID)
		idx.PlaceID = refKey(d.PlaceID)
		idx.RCCode = strings.ToUpper(refKey(d.RCCode))
	}
	return idx
}

// referenceTypes are the document types CHT's contacts_by_reference view indexes.
var referenceTypes = []string{"contact", "person", "clinic", "health_center", "district_hospital"}

// refKey is String(value) of a truthy string or number member as the view emits it, or "".
func refKey(raw json.RawMessage) string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if len(raw) == 0 || dec.Decode(&v) != nil {
		return ""
	}
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		f, err := t.Float64()
		if err != nil || f == 0 {
			return ""
		}
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return ""
}

// NextRev computes the revision a write produces: CouchDB's "N-hash" form, N one more than the
// current revision's, the hash an MD5 of the new content so identical writes get identical revs.
func NextRev(current string, deleted bool, fields json.RawMessage) string {
	n := 0
	if i := strings.IndexByte(current, '-'); i > 0 {
		n, _ = strconv.Atoi(current[:i])
	}
	h := md5.New()
	h.Write([]byte(current))
	if deleted {
		h.Write([]byte{1})
	}
	h.Write(fields)
	return strconv.Itoa(n+1) + "-" + hex.EncodeToString(h.Sum(nil))
}
