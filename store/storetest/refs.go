package storetest

import (
	"database/sql"
	"embed"
	"io/fs"
	"testing"

	"github.com/pressly/goose/v3"

	"careflow/store"
	"careflow/store/sqlstore"
)

// refDocs are documents with and without contacts_by_reference keys, for the FindDocs cases
// and the backfill check.
var refDocs = []struct{ id, fields string }{
	{"hc", `{"type":"health_center","name":"HC","rc_code":"hc-77","place_id":"P1"}`},
	{"p1", `{"type":"person","patient_id":"40751","parent":{"_id":"hc"}}`},
	{"p2", `{"type":"contact","contact_type":"chw","patient_id":40752,"place_id":"P1x","rc_code":"Ab"}`},
	{"p3", `{"type":"person","patient_id":0,"place_id":"","rc_code":false}`},
	{"r1", `{"type":"data_record","form":"V","patient_id":"40751","rc_code":"HC-77"}`},
	{"odd", `{"type":"person","patient_id":{"x":1},"rc_code":["A"]}`},
}

func testRefs(t *testing.T, open Opener) {
	s := open(t)
	for _, d := range refDocs {
		mustWrite(t, s, store.DocWrite{ID: d.id, Fields: []byte(d.fields)})
	}
	cases := []struct {
		name string
		q    store.DocQuery
		want string
	}{
		{"PatientID", store.DocQuery{ShortCode: "40751"}, "p1"},        // the report's patient_id is not a contact's
		{"NumericPatientID", store.DocQuery{ShortCode: "40752"}, "p2"}, // String(40752)
		{"PlaceID", store.DocQuery{ShortCode: "P1"}, "hc"},
		{"OtherPlaceID", store.DocQuery{ShortCode: "P1x"}, "p2"},
		{"FalsyNotIndexed", store.DocQuery{ShortCode: "0"}, ""},
		{"RCCodeUpperCased", store.DocQuery{RCCode: "HC-77"}, "hc"},
		{"RCCodeAsStored", store.DocQuery{RCCode: "hc-77"}, ""},
		{"RCCodeOfContact", store.DocQuery{RCCode: "AB"}, "p2"},
		{"WithType", store.DocQuery{ShortCode: "P1", Type: "person"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := findIDs(t, s, c.q); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
	t.Run("FollowsUpdatesAndDeletes", func(t *testing.T) {
		d, _ := s.GetDoc(ctx(), "p1")
		r := mustWrite(t, s, store.DocWrite{ID: "p1", Rev: d.Rev, Fields: []byte(`{"type":"person","patient_id":"99"}`)})[0]
		if got := findIDs(t, s, store.DocQuery{ShortCode: "40751"}); got != "" {
			t.Fatalf("old short code still found: %q", got)
		}
		if got := findIDs(t, s, store.DocQuery{ShortCode: "99"}); got != "p1" {
			t.Fatalf("new short code: %q", got)
		}
		mustWrite(t, s, store.DocWrite{ID: "p1", Rev: r.Rev, Deleted: true})
		if got := findIDs(t, s, store.DocQuery{ShortCode: "99"}); got != "" {
			t.Fatalf("deleted contact found: %q", got)
		}
	})
}

func findIDs(t *testing.T, s store.Store, q store.DocQuery) string {
	t.Helper()
	docs, err := s.FindDocs(ctx(), q)
	if err != nil {
		t.Fatal(err)
	}
	out := ""
	for i, d := range docs {
		if i > 0 {
			out += ","
		}
		out += d.ID
	}
	return out
}

// CheckRefBackfill migrates an empty database to the schema before the reference columns,
// inserts refDocs as that schema stored them, applies the remaining migrations and checks that
// the backfill gave every row the reference columns store.Index derives.
func CheckRefBackfill(t *testing.T, db *sql.DB, d sqlstore.Dialect, fsys embed.FS) {
	t.Helper()
	sub, err := fs.Sub(fsys, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(d.Goose, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx(), 10); err != nil {
		t.Fatal(err)
	}
	for i, doc := range refDocs {
		idx := store.Index([]byte(doc.fields))
		_, err := db.ExecContext(ctx(), `INSERT INTO docs (id, rev, deleted, fields, seq, type, contact_type, form, phone, parent_id,
			reported_date, created_at, updated_at) VALUES ($1, '1-a', 0, $2, $3, $4, $5, $6, $7, $8, 0, 0, 0)`,
			doc.id, doc.fields, i+1, idx.Type, idx.ContactType, idx.Form, idx.Phone, idx.ParentID)
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Up(ctx()); err != nil {
		t.Fatal(err)
	}
	for _, doc := range refDocs {
		want := store.Index([]byte(doc.fields))
		var got store.DocIndex
		err := db.QueryRowContext(ctx(), `SELECT patient_id, place_id, rc_code FROM docs WHERE id = $1`, doc.id).
			Scan(&got.PatientID, &got.PlaceID, &got.RCCode)
		if err != nil {
			t.Fatal(err)
		}
		if got.PatientID != want.PatientID || got.PlaceID != want.PlaceID || got.RCCode != want.RCCode {
			t.Errorf("%s: backfilled %q/%q/%q, Index gives %q/%q/%q", doc.id,
				got.PatientID, got.PlaceID, got.RCCode, want.PatientID, want.PlaceID, want.RCCode)
		}
	}
}
