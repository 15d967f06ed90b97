package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"careflow/internal/testserver"
)

// session is a browser-like client: a cookie jar, signed in through the form.
type session struct {
	t    *testing.T
	s    *testserver.Server
	c    *http.Client
	csrf string
}

func newSession(t *testing.T, s *testserver.Server) *session {
	jar, _ := cookiejar.New(nil)
	se := &session{t: t, s: s, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	se.get("/users/login/")
	u, _ := url.Parse(s.Base)
	for _, c := range jar.Cookies(u) {
		if c.Name == "csrftoken" {
			se.csrf = c.Value
		}
	}
	if se.csrf == "" {
		t.Fatal("no csrftoken cookie from the sign-in page")
	}
	return se
}

func (se *session) get(path string) (int, string) {
	se.t.Helper()
	resp, err := se.c.Get(se.s.Base + path)
	if err != nil {
		se.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (se *session) postForm(path string, form url.Values) (int, string, *http.Response) {
	se.t.Helper()
	resp, err := se.c.PostForm(se.s.Base+path, form)
	if err != nil {
		se.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

func (se *session) signIn(password string) int {
	return se.signInAs("admin", password)
}

func (se *session) signInAs(user, password string) int {
	st, _, _ := se.postForm("/users/login/", url.Values{"csrfmiddlewaretoken": {se.csrf}, "username": {user}, "password": {password}, "next": {"/flow/"}})
	return st
}

// TestConsole signs in with CSRF protection, refuses CSRF-less POSTs and changes nothing,
// imports, lists, archives and exports flows, searches contacts and reads a contact's history.
func TestConsole(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s, f, _, _ := setup(t, backend, true)
		se := newSession(t, s)
		if st, _ := se.get("/flow/"); st != http.StatusFound {
			t.Fatalf("signed out: %d, want a redirect to sign in", st)
		}
		// a sign-in without the token is refused
		if st, _, _ := se.postForm("/users/login/", url.Values{"username": {"admin"}, "password": {s.Admin}}); st != http.StatusForbidden {
			t.Fatalf("CSRF-less sign in: %d", st)
		}
		if st := se.signIn("wrong"); st != http.StatusUnauthorized {
			t.Fatalf("bad password: %d", st)
		}
		if st := se.signIn(s.Admin); st != http.StatusSeeOther {
			t.Fatalf("sign in: %d", st)
		}
		st, body := se.get("/flow/")
		if st != 200 || !strings.Contains(body, "Register") {
			t.Fatalf("flows: %d", st)
		}
		// a CSRF-less POST with the session cookie: refused, nothing archived
		if st, _, _ := se.postForm("/flow/archive/"+f.UUID+"/", url.Values{}); st != http.StatusForbidden {
			t.Fatalf("CSRF-less archive: %d", st)
		}
		if sf, _ := s.Srv.Runtime.Store.GetFlow(t.Context(), s.Workspace.ID, f.UUID); sf.Archived {
			t.Fatal("a CSRF-less POST archived the flow")
		}
		// a save from the editor without the token: refused too
		status, _ := postWithCookies(t, se, "/flow/revisions/"+f.UUID+"/", "application/json", []byte(`{}`), "")
		if status != http.StatusForbidden {
			t.Fatalf("CSRF-less save: %d", status)
		}

		// import a second flow from the page
		other := &testserver.Flow{Name: "Survey", Nodes: []*testserver.Node{{Actions: []map[string]any{testserver.Say("Q1")}}}}
		status, body = postWithCookies(t, se, "/flow/import/", "file", testserver.Export(other), se.csrf)
		if status != 200 || !strings.Contains(body, "Imported 1 flows") {
			t.Fatalf("import: %d %s", status, body)
		}
		status, body = postWithCookies(t, se, "/flow/import/", "file", []byte(`{"version":"13","flows":[{"uuid":"x"}]}`), se.csrf)
		if status != 400 || !strings.Contains(body, "not imported") {
			t.Fatalf("bad import: %d", status)
		}
		if st, _, _ := se.postForm("/flow/archive/"+other.UUID+"/", url.Values{"csrfmiddlewaretoken": {se.csrf}}); st != http.StatusSeeOther {
			t.Fatalf("archive: %d", st)
		}
		if _, body := se.get("/flow/?archived=1"); !strings.Contains(body, "Survey") {
			t.Fatal("archived flow not listed")
		}
		if st, body := se.get("/flow/export/" + f.UUID + "/"); st != 200 || !strings.Contains(body, `"flows":[{`) {
			t.Fatalf("export: %d", st)
		}

		// contacts: talk to the flow, then search and read the history
		s.Srv.Runtime.Store.SaveTrigger(t.Context(), triggerFor(s, f.UUID))
		s.Srv.Runtime.Invalidate(s.Workspace.ID)
		p := s.Phone("+250788000002")
		p.Send("join")
		p.Expect(1)
		p.Send("Ann")
		p.Expect(1)
		s.Idle()
		st, body = se.get("/contact/?search=" + url.QueryEscape(`tel = "+250788000002"`))
		if st != 200 || !strings.Contains(body, "250788000002") {
			t.Fatalf("search: %d %s", st, body[strings.Index(body, "<main>"):])
		}
		if st, body := se.get("/contact/?search=" + url.QueryEscape(`tel = "+250788000999"`)); st != 200 || strings.Contains(body, "250788000002") {
			t.Fatalf("search that matches nothing: %d", st)
		}
		if st, body := se.get("/contact/?search=" + url.QueryEscape(`age >`)); st != 400 || !strings.Contains(body, "not valid") {
			t.Fatalf("bad search: %d", st)
		}
		c, err := s.Srv.Runtime.Store.GetContacts(t.Context(), s.Workspace.ID, nil)
		_ = c
		_ = err
		ids, _ := s.Srv.Runtime.Store.ScanContacts(t.Context(), s.Workspace.ID, 0, 10)
		st, body = se.get("/contact/read/" + ids[0].UUID + "/")
		if st != 200 || !strings.Contains(body, "Hi! What is your name?") || !strings.Contains(body, "Ann") {
			t.Fatalf("contact history: %d", st)
		}
		for _, page := range []string{"/", "/msg/", "/msg/?folder=outbox", "/msg/?folder=failed", "/trigger/", "/globals/", "/contact/groups/", "/contact/fields/", "/cht/settings/", "/campaign/", "/channels/", "/channels/?channel=" + s.Channel.UUID, "/webhooks/", "/flow/results/" + f.UUID + "/"} {
			if st, _ := se.get(page); st != 200 {
				t.Fatalf("%s: %d", page, st)
			}
		}
		if st, body := se.get("/cht/users/"); st != 200 || !strings.Contains(body, "admin") {
			t.Fatalf("CHT users: %d", st)
		}
		if st, body := se.get("/cht/outbound/dryrun/?config=nope&doc_ids=a"); st != 400 || !strings.Contains(body, "no outbound config named nope") {
			t.Fatalf("dry run of an unknown config: %d", st)
		}
		if st, _ := se.get("/cht/outbound/?state=dead"); st != 200 {
			t.Fatalf("outbound pushes: %d", st)
		}
		if st, _, _ := se.postForm("/cht/outbound/requeue/", url.Values{"id": {"1"}}); st != http.StatusForbidden {
			t.Fatalf("CSRF-less requeue: %d", st)
		}
		if st, body, _ := se.postForm("/cht/outbound/requeue/", url.Values{"csrfmiddlewaretoken": {se.csrf}}); st != http.StatusBadRequest || !strings.Contains(body, "Say which push") {
			t.Fatalf("requeue of nothing: %d", st)
		}
		if st, body, _ := se.postForm("/cht/outbound/requeue/", url.Values{"csrfmiddlewaretoken": {se.csrf}, "id": {"999"}}); st != 200 || !strings.Contains(body, "0 dead push(es) re-queued") {
			t.Fatalf("requeue: %d", st)
		}
		if _, body := se.get("/webhooks/"); !strings.Contains(body, "/register") {
			t.Fatal("webhook call not logged on the page")
		}
		if _, body := se.get("/flow/results/" + f.UUID + "/?format=csv"); !strings.Contains(body, "Ann") {
			t.Fatal("results CSV lacks the answer")
		}
		// an offline CHT user (a field worker) cannot use the console or the editor
		if err := s.Srv.Users.CreateDirect(t.Context(), "chw1", "secret-pw-1", []string{"chw"}); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.Do("GET", "/flow/revisions/"+f.UUID+"/", nil, nil, "chw1", "secret-pw-1"); st != http.StatusForbidden {
			t.Fatalf("offline user on the editor: %d", st)
		}
		// sign out: the session cookie is gone
		if st, _, _ := se.postForm("/users/logout/", url.Values{"csrfmiddlewaretoken": {se.csrf}}); st != http.StatusSeeOther {
			t.Fatalf("sign out: %d", st)
		}
		if st, _ := se.get("/flow/"); st != http.StatusFound {
			t.Fatalf("after sign out: %d", st)
		}
	})
}

// postWithCookies posts with the session's cookies: a multipart upload when ctype is "file",
// else a raw body; csrf, when set, goes in the X-CSRFToken header (or the form field).
func postWithCookies(t *testing.T, se *session, path, ctype string, body []byte, csrf string) (int, string) {
	t.Helper()
	if ctype == "file" {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("csrfmiddlewaretoken", csrf)
		fw, _ := mw.CreateFormFile("file", "export.json")
		_, _ = fw.Write(body)
		_ = mw.Close()
		body, ctype = buf.Bytes(), mw.FormDataContentType()
		csrf = ""
	}
	req, _ := http.NewRequest("POST", se.s.Base+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	if csrf != "" {
		req.Header.Set("X-CSRFToken", csrf)
	}
	resp, err := se.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
