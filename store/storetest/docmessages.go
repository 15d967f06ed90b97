package storetest

import (
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"testing"

	"careflow/store"
	"careflow/store/sqlstore"

	"github.com/pressly/goose/v3"
)

// testDocMessages: the outgoing messages inside documents follow every write — created one
// by one and in a group, updated, re-stated and deleted — in CHT's due order.
func testDocMessages(t *testing.T, open Opener) {
	s := open(t)
	dm, ok := s.(store.DocMessageStore)
	if !ok {
		t.Skip("the store does not index document messages")
	}
	task := func(state, due, uuid string) string {
		return fmt.Sprintf(`{"state":%q,%s"messages":[{"uuid":%q,"to":"+254712345678","message":"hi %s"}]}`, state, due, uuid, uuid)
	}
	outgoing := func() []string {
		t.Helper()
		msgs, err := dm.OutgoingDocMessages(ctx(), 25)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range msgs {
			ids = append(ids, m.DocID+"/"+m.UUID)
		}
		return ids
	}
	one := `{"type":"data_record","reported_date":3000,"tasks":[` + task("pending", "", "m1") + `,` + task("sent", "", "m2") + `],` +
		`"scheduled_tasks":[` + task("pending", `"due":"1970-01-01T00:00:01.000Z",`, "m3") + `,` + task("scheduled", `"due":500,`, "m4") + `]}`
	res := mustWrite(t, s, store.DocWrite{ID: "d1", Fields: []byte(one)})
	// a group of creates takes the batched path
	mustWrite(t, s, store.DocWrite{ID: "d2", Fields: []byte(`{"kujua_message":true,"tasks":[` + task("forwarded-to-gateway", `"timestamp":2000,`, "m5") + `]}`)},
		store.DocWrite{ID: "d3", Fields: []byte(`{"type":"person","name":"no tasks"}`)},
		store.DocWrite{ID: "d4", Fields: []byte(`{"tasks":[` + task("pending", "", "m6") + `]}`)}) // no due at all: never handed out
	if got := fmt.Sprint(outgoing()); got != "[d1/m3 d2/m5 d1/m1]" {
		t.Fatalf("outgoing: %s", got)
	}
	byUUID, err := dm.DocMessagesByUUID(ctx(), []string{"m2", "m4", "m6", "nope"})
	if err != nil || len(byUUID) != 3 || byUUID[0].DocID != "d1" || byUUID[0].State != "sent" || byUUID[2].DocID != "d4" {
		t.Fatalf("by uuid: %+v %v", byUUID, err)
	}
	// an update replaces the document's rows
	upd := `{"type":"data_record","reported_date":3000,"tasks":[` + task("sent", "", "m1") + `]}`
	if r := mustWrite(t, s, store.DocWrite{ID: "d1", Rev: res[0].Rev, Fields: []byte(upd)}); r[0].Err != nil {
		t.Fatal(r[0].Err)
	}
	if got := fmt.Sprint(outgoing()); got != "[d2/m5]" {
		t.Fatalf("after update: %s", got)
	}
	if byUUID, _ := dm.DocMessagesByUUID(ctx(), []string{"m3"}); len(byUUID) != 0 {
		t.Fatalf("rows of the old revision left: %+v", byUUID)
	}
	d2, _ := s.GetDoc(ctx(), "d2")
	mustWrite(t, s, store.DocWrite{ID: "d2", Rev: d2.Rev, Deleted: true})
	if got := outgoing(); len(got) != 0 {
		t.Fatalf("a deleted document's messages: %v", got)
	}
}

// CheckDocMessagesBackfill migrates an empty database to the schema before doc_messages,
// stores a document with a pending message as that schema did, applies the remaining
// migrations (with the Go one that indexes old documents) and checks the message is found.
func CheckDocMessagesBackfill(t *testing.T, db *sql.DB, d sqlstore.Dialect, fsys embed.FS) {
	t.Helper()
	sub, err := fs.Sub(fsys, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(d.Goose, db, sub, goose.WithAllowOutofOrder(true), sqlstore.DocMessagesMigration())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx(), 221); err != nil {
		t.Fatal(err)
	}
	fields := `{"type":"data_record","reported_date":1000,"tasks":[{"state":"pending","messages":[{"uuid":"old-1","to":"+1","message":"x"}]}]}`
	if _, err := db.ExecContext(ctx(), `INSERT INTO docs (id, rev, deleted, fields, seq, created_at, updated_at)
		VALUES ('old', '1-a', 0, $1, 1, 0, 0)`, fields); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx()); err != nil {
		t.Fatal(err)
	}
	s := sqlstore.New(db, d)
	msgs, err := s.OutgoingDocMessages(ctx(), 25)
	if err != nil || len(msgs) != 1 || msgs[0].UUID != "old-1" || msgs[0].Due != 1000 {
		t.Fatalf("backfilled: %+v %v", msgs, err)
	}
	var n int
	if err := db.QueryRowContext(ctx(), `SELECT msgs FROM docs WHERE id = 'old'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("msgs column: %d %v", n, err)
	}
}
