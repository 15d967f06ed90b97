package web_test

import (
	"bytes"
	"careflow/api"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"careflow/internal/testserver"
	"careflow/store"
)

// conversationFlow asks a name (a wait), calls a webhook at @globals.api and says the answer.
func conversationFlow() *testserver.Flow {
	return &testserver.Flow{Name: "Register", Nodes: []*testserver.Node{
		{Actions: []map[string]any{testserver.Say("Hi! What is your name?")}, Next: map[string]int{"*": 1}},
		{Wait: true, Result: "name", Next: map[string]int{"Other": 2}},
		{Actions: []map[string]any{testserver.Webhook("POST", "@globals.api/register", `{"name":"@results.name"}`, "reg")},
			Operand: "@results.reg.category", Cases: []testserver.Case{{Type: "has_only_text", Args: []string{"Success"}, Category: "Success"}},
			Next: map[string]int{"Success": 3}},
		{Actions: []map[string]any{testserver.Say("Thanks @results.name, you are number @webhook.json.id")}},
	}}
}

// hookServer answers registrations and counts them, remembering the mode header.
func hookServer(t *testing.T) (*httptest.Server, *atomic.Int32, *atomic.Value) {
	var hits atomic.Int32
	var mode atomic.Value
	mode.Store("")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		mode.Store(r.Header.Get("X-Mailroom-Mode"))
		_, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":42}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits, &mode
}

// setup starts a server with the conversation flow imported and the webhook global set;
// private addresses are allowed when allowPrivate (the hook listens on loopback).
func setup(t *testing.T, backend string, allowPrivate bool) (*testserver.Server, *testserver.Flow, *atomic.Int32, *atomic.Value) {
	s := testserver.Start(t, backend, testserver.Options{})
	f := conversationFlow()
	s.Import(testserver.Export(f))
	hook, hits, mode := hookServer(t)
	ctx := context.Background()
	rt := s.Srv.Runtime
	if err := rt.SetGlobal(ctx, &store.Global{WorkspaceID: s.Workspace.ID, Key: "api", Name: "API", Value: hook.URL}); err != nil {
		t.Fatal(err)
	}
	if allowPrivate {
		ws := *s.Workspace
		ws.Config = json.RawMessage(`{"webhooks":{"allow_private":true}}`)
		if err := rt.UpdateWorkspace(ctx, &ws); err != nil {
			t.Fatal(err)
		}
	}
	return s, f, hits, mode
}

func getJSON(t *testing.T, s *testserver.Server, path string, out any) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", s.Base+path, nil)
	req.SetBasicAuth("admin", s.Admin)
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("GET %s: content type %q, the editor needs exactly application/json", path, ct)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, body)
		}
	}
	return resp
}

func post(t *testing.T, s *testserver.Server, path, ctype string, body []byte, out any) int {
	t.Helper()
	status, resp := s.Do("POST", path, map[string]string{"Content-Type": ctype}, body, "admin", "")
	if out != nil && len(resp) > 0 {
		if err := json.Unmarshal(resp, out); err != nil {
			t.Fatalf("POST %s: %d %s: %v", path, status, resp, err)
		}
	}
	return status
}

// TestEditorEndpoints loads an imported flow the way the editor does, saves an added node,
// refuses a stale revision and a malformed definition (nothing saved), and runs the saved
// revision in the runtime at once.
func TestEditorEndpoints(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s, f, _, _ := setup(t, backend, true)
		ws := s.Workspace.ID
		base := "/flow/assets/" + itoa(ws) + "/1700000000000/"
		for _, kind := range []string{"fields/", "groups", "labels/", "globals/", "flows/", "channels/", "classifiers/",
			"resthooks/", "templates/", "optins/", "users/", "topics/", "llms/", "language/", "recipients/?search=a"} {
			var list struct {
				Results []map[string]any `json:"results"`
			}
			getJSON(t, s, base+kind, &list)
			if kind == "globals/" && (len(list.Results) != 1 || list.Results[0]["key"] != "api") {
				t.Fatalf("globals: %v", list.Results)
			}
			if kind == "flows/" && (len(list.Results) != 1 || list.Results[0]["type"] != "message") {
				t.Fatalf("flows: %v", list.Results)
			}
		}
		var wsj map[string]any
		getJSON(t, s, base+"workspace", &wsj)
		if wsj["uuid"] != s.Workspace.UUID {
			t.Fatalf("workspace: %v", wsj)
		}
		var docs struct {
			Functions []map[string]any `json:"functions"`
			Context   map[string]any   `json:"context"`
		}
		getJSON(t, s, "/mr/docs/en-us/editor.json", &docs)
		if len(docs.Functions) < 50 || docs.Context["root"] == nil {
			t.Fatalf("docs: %d functions", len(docs.Functions))
		}

		var latest struct {
			Definition map[string]any `json:"definition"`
			Info       struct {
				Results []map[string]any `json:"results"`
			} `json:"info"`
		}
		getJSON(t, s, "/flow/revisions/"+f.UUID+"/latest/?version=14.3", &latest)
		if latest.Definition["revision"] != float64(1) || len(latest.Info.Results) != 2 {
			t.Fatalf("latest: revision %v, results %v", latest.Definition["revision"], latest.Info.Results)
		}

		// add a node and save, as the editor does (spec_version rewritten to 14.3.x)
		def := latest.Definition
		nodes := def["nodes"].([]any)
		last := nodes[len(nodes)-1].(map[string]any)
		added := testserver.UUID()
		last["exits"].([]any)[0].(map[string]any)["destination_uuid"] = added
		def["nodes"] = append(nodes, map[string]any{"uuid": added, "actions": []any{testserver.Say("Goodbye")},
			"exits": []any{map[string]any{"uuid": testserver.UUID()}}})
		def["spec_version"] = "14.3.0"
		body, _ := json.Marshal(def)
		var saved struct {
			Status   string         `json:"status"`
			Revision map[string]any `json:"revision"`
			Info     map[string]any `json:"info"`
		}
		if st := post(t, s, "/flow/revisions/"+f.UUID+"/", "application/json", body, &saved); st != 200 || saved.Status != "success" || saved.Revision["revision"] != float64(2) {
			t.Fatalf("save: %d %+v", st, saved)
		}
		getJSON(t, s, "/flow/revisions/"+f.UUID+"/latest/?version=14.3", &latest)
		if n := len(latest.Definition["nodes"].([]any)); n != 5 || latest.Definition["revision"] != float64(2) {
			t.Fatalf("after save: %d nodes, revision %v", n, latest.Definition["revision"])
		}
		var revs struct {
			Results []map[string]any `json:"results"`
		}
		getJSON(t, s, "/flow/revisions/"+f.UUID+"/", &revs)
		if len(revs.Results) != 2 || revs.Results[0]["revision"] != float64(2) {
			t.Fatalf("revisions: %v", revs.Results)
		}

		// the same definition again, still at revision 1: someone saved since
		var failure map[string]any
		if st := post(t, s, "/flow/revisions/"+f.UUID, "application/json", body, &failure); st != http.StatusConflict ||
			failure["status"] != "failure" || !strings.Contains(failure["description"].(string), "newer version") {
			t.Fatalf("stale save: %d %v", st, failure)
		}
		// a malformed definition: a node exit pointing nowhere
		def["revision"] = 2
		bad := strings.Replace(string(mustJSON(def)), `"destination_uuid":"`+added+`"`, `"destination_uuid":"00000000-0000-4000-8000-00000000dead"`, 1)
		if st := post(t, s, "/flow/revisions/"+f.UUID+"/", "application/javascript", []byte(bad), &failure); st != 400 ||
			failure["status"] != "failure" || !strings.Contains(failure["description"].(string), "00000000-0000-4000-8000-00000000dead") {
			t.Fatalf("bad save: %d %v", st, failure)
		}
		if st := post(t, s, "/flow/revisions/"+f.UUID+"/", "application/json", []byte(`{"uuid":`), &failure); st != 400 || failure["status"] != "failure" {
			t.Fatalf("broken JSON: %d %v", st, failure)
		}
		getJSON(t, s, "/flow/revisions/"+f.UUID+"/", &revs)
		if len(revs.Results) != 2 {
			t.Fatalf("a refused save stored a revision: %v", revs.Results)
		}

		// the runtime runs revision 2 at once: the added node says goodbye
		s.Srv.Runtime.Store.SaveTrigger(context.Background(), &store.Trigger{WorkspaceID: ws, Type: "keyword", Keywords: []string{"join"}, MatchType: "first_word", FlowUUID: f.UUID})
		s.Srv.Runtime.Invalidate(ws)
		p := s.Phone("+250788000001")
		p.Send("join")
		eqTexts(t, p.Expect(1), "Hi! What is your name?")
		p.Send("Ann")
		eqTexts(t, p.Expect(2), "Thanks Ann, you are number 42", "Goodbye")

		// activity from the real runs: the run went through every segment once
		var act struct {
			Nodes    map[string]int `json:"nodes"`
			Segments map[string]int `json:"segments"`
		}
		getJSON(t, s, "/flow/activity/"+f.UUID+"/?flow="+f.UUID, &act)
		if len(act.Segments) != 4 {
			t.Fatalf("activity: %+v", act)
		}
		var exitKey string
		for k := range act.Segments {
			if strings.HasSuffix(k, ":"+added) {
				exitKey = k
			}
		}
		var recents []map[string]any
		getJSON(t, s, "/flow/recent_contacts/"+f.UUID+"/"+strings.Replace(exitKey, ":", "/", 1)+"/", &recents)
		if len(recents) != 1 {
			t.Fatalf("recent contacts of %s: %v", exitKey, recents)
		}
	})
}

func eqTexts(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func itoa(n int64) string {
	return strings.TrimSpace(strings.Replace(string(mustJSON(n)), `"`, "", -1))
}

func triggerFor(s *testserver.Server, flowUUID string) *store.Trigger {
	return &store.Trigger{WorkspaceID: s.Workspace.ID, Type: "keyword", Keywords: []string{"join"}, MatchType: "first_word", FlowUUID: flowUUID}
}

// TestChangeLanguage makes French the base language of a flow translated into French.
func TestChangeLanguage(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s, f, _, _ := setup(t, backend, true)
		var latest struct {
			Definition map[string]any `json:"definition"`
		}
		getJSON(t, s, "/flow/revisions/"+f.UUID+"/latest/?version=14.3", &latest)
		def := latest.Definition
		action := def["nodes"].([]any)[0].(map[string]any)["actions"].([]any)[0].(map[string]any)
		def["localization"] = map[string]any{"fra": map[string]any{action["uuid"].(string): map[string]any{"text": []string{"Bonjour ! Comment vous appelez-vous ?"}}}}
		var saved map[string]any
		if st := post(t, s, "/flow/revisions/"+f.UUID+"/", "application/json", mustJSON(def), &saved); st != 200 {
			t.Fatalf("save: %d %v", st, saved)
		}
		if st := post(t, s, "/flow/change_language/"+f.UUID+"/?language=fra", "application/x-www-form-urlencoded", []byte("x=1"), nil); st != http.StatusOK && st != http.StatusSeeOther { // the redirect to the editor is followed
			t.Fatalf("change language: %d", st)
		}
		getJSON(t, s, "/flow/revisions/"+f.UUID+"/latest/?version=14.3", &latest)
		def = latest.Definition
		action = def["nodes"].([]any)[0].(map[string]any)["actions"].([]any)[0].(map[string]any)
		eng := def["localization"].(map[string]any)["eng"].(map[string]any)[action["uuid"].(string)].(map[string]any)["text"].([]any)
		if def["language"] != "fra" || action["text"] != "Bonjour ! Comment vous appelez-vous ?" || eng[0] != "Hi! What is your name?" {
			t.Fatalf("after the change: %v %v %v", def["language"], action["text"], eng)
		}
		if st := post(t, s, "/flow/change_language/"+f.UUID+"/?language=French", "application/x-www-form-urlencoded", []byte("x=1"), nil); st != 400 {
			t.Fatalf("bad language: %d", st)
		}
	})
}

// TestMediaUpload attaches an image from the editor and reads it back; other files are refused.
func TestMediaUpload(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s, _, _, _ := setup(t, backend, true)
		upload := func(name string, data []byte) (int, map[string]any) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile("file", name)
			_, _ = fw.Write(data)
			_ = mw.Close()
			var out map[string]any
			st := post(t, s, "/msg/media_upload/", mw.FormDataContentType(), buf.Bytes(), &out)
			return st, out
		}
		png := []byte("\x89PNG\r\n\x1a\nfake")
		st, out := upload("photo.png", png)
		if st != 200 || out["type"] != "image/png" {
			t.Fatalf("upload: %d %v", st, out)
		}
		resp, err := http.Get(out["url"].(string))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(got) != string(png) {
			t.Fatalf("read back: %d %q", resp.StatusCode, got)
		}
		if st, out := upload("run.sh", []byte("#!/bin/sh")); st != 400 || out["error"] == nil {
			t.Fatalf("script upload: %d %v", st, out)
		}
	})
}

// TestEditorAPIToken: scripts reach the editor's endpoints with an API v2 token.
func TestEditorAPIToken(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s, f, _, _ := setup(t, backend, true)
		key, err := api.CreateToken(t.Context(), s.Srv.Store.(api.Store), s.Workspace.ID, "admin", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if st, body := s.Do("GET", "/flow/revisions/"+f.UUID+"/latest/", map[string]string{"Authorization": "Token " + key}, nil, "", ""); st != 200 || !strings.Contains(string(body), `"definition"`) {
			t.Fatalf("with a token: %d %s", st, body)
		}
		if st, _ := s.Do("GET", "/flow/revisions/"+f.UUID+"/latest/", map[string]string{"Authorization": "Token nope"}, nil, "", ""); st != 401 {
			t.Fatalf("with a bad token: %d", st)
		}
	})
}
