package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"careflow/api"
	"careflow/internal/testserver"
)

var (
	newTokenRE  = regexp.MustCompile(`<code id="new-token" class="key">([0-9a-f]{40})</code>`)
	tokenHashRE = regexp.MustCompile(`name="token" value="([0-9a-f]{64})"`)
)

// apiStatus calls the API with a token.
func apiStatus(t *testing.T, s *testserver.Server, key string) int {
	t.Helper()
	st, _ := s.Do("GET", "/api/v2/workspace.json", map[string]string{"Authorization": "Token " + key}, nil, "", "")
	return st
}

// TestTokensPage makes a token on the page (shown once, then by prefix), uses it on the API at
// once, refuses CSRF-less and bad requests, keeps editors to their own tokens while an
// administrator sees and revokes everyone's, and a revoked token is refused at once.
func TestTokensPage(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s := testserver.Start(t, backend, testserver.Options{})
		if err := s.Srv.Users.CreateDirect(t.Context(), "ed", "editor-pw-1", []string{"mm-online", "messaging_editor"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Srv.Users.CreateDirect(t.Context(), "viewer", "viewer-pw-1", []string{"mm-online", "messaging_viewer"}); err != nil {
			t.Fatal(err)
		}
		ed := newSession(t, s)
		if st := ed.signInAs("ed", "editor-pw-1"); st != http.StatusSeeOther {
			t.Fatalf("editor sign in: %d", st)
		}
		if st, body := ed.get("/user/tokens/"); st != 200 || !strings.Contains(body, "No tokens.") || !strings.Contains(body, "New token for ed") {
			t.Fatalf("empty tokens page: %d", st)
		}
		// a CSRF-less create: refused, nothing made
		if st, _, _ := ed.postForm("/user/tokens/", url.Values{}); st != http.StatusForbidden {
			t.Fatalf("CSRF-less create: %d", st)
		}
		st, body, _ := ed.postForm("/user/tokens/", url.Values{"csrfmiddlewaretoken": {ed.csrf}})
		m := newTokenRE.FindStringSubmatch(body)
		if st != 200 || m == nil {
			t.Fatalf("create: %d %s", st, body)
		}
		key := m[1]
		if got := apiStatus(t, s, key); got != 200 {
			t.Fatalf("the new token on the API: %d", got)
		}
		// afterwards only the prefix is shown
		_, body = ed.get("/user/tokens/")
		if strings.Contains(body, key) || !strings.Contains(body, key[:8]+"…") {
			t.Fatal("the tokens page shows the whole key again, or not its prefix")
		}
		// three at most
		for range 2 {
			if st, _, _ := ed.postForm("/user/tokens/", url.Values{"csrfmiddlewaretoken": {ed.csrf}}); st != 200 {
				t.Fatalf("second/third token: %d", st)
			}
		}
		if st, body, _ := ed.postForm("/user/tokens/", url.Values{"csrfmiddlewaretoken": {ed.csrf}}); st != http.StatusBadRequest || !strings.Contains(body, "the most allowed") {
			t.Fatalf("fourth token: %d", st)
		}

		// the administrator sees the editor's tokens and makes one of their own
		admin := newSession(t, s)
		if st := admin.signIn(s.Admin); st != http.StatusSeeOther {
			t.Fatalf("admin sign in: %d", st)
		}
		st, body, _ = admin.postForm("/user/tokens/", url.Values{"csrfmiddlewaretoken": {admin.csrf}})
		am := newTokenRE.FindStringSubmatch(body)
		if st != 200 || am == nil || strings.Count(body, "<td>ed</td>") != 3 || !strings.Contains(body, "<td>admin</td>") {
			t.Fatalf("admin's list: %d", st)
		}
		// the editor sees only their own, and may not revoke the administrator's
		_, body = ed.get("/user/tokens/")
		if strings.Contains(body, am[1][:8]) {
			t.Fatal("an editor sees the administrator's token")
		}
		_, adminBody := admin.get("/user/tokens/")
		var adminHash string
		for _, h := range tokenHashRE.FindAllStringSubmatch(adminBody, -1) {
			if !strings.Contains(body, h[1]) {
				adminHash = h[1]
			}
		}
		if st, body, _ := ed.postForm("/user/tokens/revoke/", url.Values{"csrfmiddlewaretoken": {ed.csrf}, "token": {adminHash}}); st != http.StatusForbidden || !strings.Contains(body, "another user") {
			t.Fatalf("editor revoking the admin's token: %d", st)
		}
		if got := apiStatus(t, s, am[1]); got != 200 {
			t.Fatalf("admin token after a refused revoke: %d", got)
		}
		// bad input: a clear 400/404 and nothing revoked
		for form, want := range map[string]int{"nothex": 400, strings.Repeat("0", 64): 404} {
			if st, _, _ := ed.postForm("/user/tokens/revoke/", url.Values{"csrfmiddlewaretoken": {ed.csrf}, "token": {form}}); st != want {
				t.Fatalf("revoke %q: %d, want %d", form, st, want)
			}
		}
		if st, _ := ed.get("/user/tokens/?before=x"); st != 400 {
			t.Fatalf("bad cursor: %d", st)
		}
		// a CSRF-less revoke is refused too
		firstHash := tokenHashRE.FindAllStringSubmatch(body, -1)
		if len(firstHash) != 3 {
			t.Fatalf("editor's tokens listed: %d", len(firstHash))
		}
		if st, _, _ := ed.postForm("/user/tokens/revoke/", url.Values{"token": {firstHash[0][1]}}); st != http.StatusForbidden {
			t.Fatalf("CSRF-less revoke: %d", st)
		}
		// the administrator revokes the editor's first token: refused by the API at once
		keyHash := api.HashToken(key)
		if !strings.Contains(body, keyHash) {
			t.Fatal("the first key's token is not listed by its hash")
		}
		st, _, resp := admin.postForm("/user/tokens/revoke/", url.Values{"csrfmiddlewaretoken": {admin.csrf}, "token": {keyHash}})
		if st != http.StatusSeeOther || resp.Header.Get("Location") != "/user/tokens/?revoked=1" {
			t.Fatalf("admin revoke: %d", st)
		}
		if got := apiStatus(t, s, key); got != http.StatusForbidden {
			t.Fatalf("a revoked token on the API: %d", got)
		}
		if st, body := admin.get("/user/tokens/?revoked=1"); st != 200 || !strings.Contains(body, "was revoked") || strings.Count(body, "<td>ed</td>") != 2 {
			t.Fatalf("after revoking: %d", st)
		}

		// a viewer holds no tokens
		v := newSession(t, s)
		if st := v.signInAs("viewer", "viewer-pw-1"); st != http.StatusSeeOther {
			t.Fatalf("viewer sign in: %d", st)
		}
		if st, body, _ := v.postForm("/user/tokens/", url.Values{"csrfmiddlewaretoken": {v.csrf}}); st != http.StatusForbidden || !strings.Contains(body, "administrators and editors") {
			t.Fatalf("viewer create: %d", st)
		}
	})
}
