package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"careflow/store"
	"careflow/store/open"
)

func TestOutboundCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "careflow.db")
	st, err := open.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	settings := `{"transitions":{"mark_for_outbound":true},"outbound":{"saved":{"relevant_to":"doc.form === 'F'","destination":{"base_url":"http://127.0.0.1:1","path":"/x"},"mapping":{"id":"doc._id","n":"doc.fields.n"}}}}`
	if _, err := st.PutSettings(context.Background(), []byte(settings), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.WriteDocs(context.Background(), []store.DocWrite{
		{ID: "r1", Fields: []byte(`{"type":"data_record","form":"F","fields":{"n":1}}`)},
		{ID: "r2", Fields: []byte(`{"type":"data_record","form":"G","fields":{"n":2}}`)},
	}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	configFile := filepath.Join(dir, "config.json")
	os.WriteFile(configFile, []byte(`{"relevant_to":"true","destination":{"base_url":"http://127.0.0.1:1","path":"/y"},"mapping":{"b":"doc._id","a.x":{"expr":"doc.fields.n * 10"}}}`), 0o600)
	docFile := filepath.Join(dir, "doc.json")
	os.WriteFile(docFile, []byte(`{"_id":"inline","fields":{"n":7}}`), 0o600)

	cases := []struct {
		name string
		args []string
		want []string
		code int
	}{
		{"SavedConfigOnStoredDocs", []string{"outbound", "test", "-db", db, "-config", "saved", "-type", "data_record", "-matching"},
			[]string{`"doc_id": "r1"`, `"body": "{\"id\":\"r1\",\"n\":1}"`, `"url": "http://127.0.0.1:1/x"`}, 0},
		{"ProposedConfigOnInlineDoc", []string{"outbound", "test", "-db", db, "-config-file", configFile, "-doc-file", docFile},
			[]string{`"doc_id": "inline"`, `"body": "{\"b\":\"inline\",\"a\":{\"x\":70}}"`}, 0},
		{"UnknownConfig", []string{"outbound", "test", "-db", db, "-config", "nope", "-doc", "r1"}, nil, 1},
		{"ListEmptyQueue", []string{"outbound", "list", "-db", db, "-state", "dead"}, []string{"ID", "LAST ERROR"}, 0},
		{"RequeueNeedsASelection", []string{"outbound", "requeue", "-db", db}, nil, 1},
		{"RequeueAll", []string{"outbound", "requeue", "-db", db, "-all"}, []string{"re-queued 0 dead push(es)"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := Main(context.Background(), tc.args, &out, &errOut); code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, errOut.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Fatalf("output lacks %s:\n%s", w, out.String())
				}
			}
			if tc.name == "SavedConfigOnStoredDocs" && strings.Contains(out.String(), `"r2"`) {
				t.Fatalf("non-matching doc listed:\n%s", out.String())
			}
		})
	}
}
