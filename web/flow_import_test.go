package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"careflow/internal/testserver"
)

// TestFlowImportReport uploads an export file on the flows page: the page lists what became of
// each item (created, updated, existing) by its place in the file, and a refused file names
// each problem by its position and changes nothing.
func TestFlowImportReport(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s, f, _, _ := setup(t, backend, true)
		se := newSession(t, s)
		if code := se.signIn(s.Admin); code != 303 {
			t.Fatalf("sign in: %d", code)
		}
		other := &testserver.Flow{Name: "Survey", Nodes: []*testserver.Node{{Actions: []map[string]any{testserver.Say("Q1")}}}}
		var file map[string]any
		if err := json.Unmarshal(testserver.Export(f, other), &file); err != nil {
			t.Fatal(err)
		}
		file["fields"] = []map[string]any{{"key": "edd", "name": "Expected delivery", "type": "datetime"}}
		file["groups"] = []map[string]any{{"uuid": testserver.UUID(), "name": "Mothers"}}
		data, _ := json.Marshal(file)
		code, body := postWithCookies(t, se, "/flow/import/", "file", data, se.csrf)
		if code != 200 || !strings.Contains(body, `id="import-changes"`) {
			t.Fatalf("import: %d %s", code, body)
		}
		for _, want := range []string{
			`<td>flow 1</td><td><a href="/flow/editor/` + f.UUID + `/">Register</a></td><td class="import-updated">updated</td>`,
			`<td>flow 2</td><td><a href="/flow/editor/` + other.UUID + `/">Survey</a></td><td class="import-created">created</td>`,
			`<td>field 1</td><td>Expected delivery</td><td class="import-created">created</td>`,
			`<td>group 1</td><td>Mothers</td><td class="import-created">created</td>`,
		} {
			if !strings.Contains(body, want) {
				t.Fatalf("import report lacks %s", want)
			}
		}
		// the same file again: the field is updated, the group used as it is
		_, body = postWithCookies(t, se, "/flow/import/", "file", data, se.csrf)
		if !strings.Contains(body, `<td>group 1</td><td>Mothers</td><td class="import-existing">existing</td>`) ||
			!strings.Contains(body, `<td>field 1</td><td>Expected delivery</td><td class="import-updated">updated</td>`) {
			t.Fatal("second import report wrong")
		}

		// a file with a bad second flow and a bad field: refused whole, each named by position
		flows := file["flows"].([]any)
		flows[1] = map[string]any{"uuid": testserver.UUID(), "name": "Broken", "spec_version": "13.1.0", "nodes": []any{map[string]any{"uuid": "not-a-uuid"}}}
		file["fields"] = []map[string]any{{"key": "ok", "name": "OK"}, {"key": "Bad Key", "name": "Bad"}}
		bad, _ := json.Marshal(file)
		code, body = postWithCookies(t, se, "/flow/import/", "file", bad, se.csrf)
		if code != 400 || !strings.Contains(body, `flow 2 &#34;Broken&#34;:`) || !strings.Contains(body, `field 2 &#34;Bad Key&#34;: not a valid field key`) || !strings.Contains(body, "nothing was changed") {
			t.Fatalf("bad file: %d %s", code, body[strings.Index(body, "<main>"):])
		}
		fields, err := s.Srv.Runtime.Store.ListFields(t.Context(), s.Workspace.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range fields {
			if fd.Key == "ok" {
				t.Fatal("a refused file created a field")
			}
		}
		// broken JSON: where it broke, by line and column
		code, body = postWithCookies(t, se, "/flow/import/", "file", []byte("{\n  \"version\": \"13\",\n  \"flows\": [}\n"), se.csrf)
		if code != 400 || !strings.Contains(body, "(line 3, column 13)") {
			t.Fatalf("broken JSON: %d %s", code, body[strings.Index(body, "<main>"):])
		}
	})
}
