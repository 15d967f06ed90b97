package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"careflow/internal/testserver"
	"careflow/store"
	"careflow/web"
)

// TestResthooksPage adds a resthook on the console (refusing CSRF-less, duplicate and
// malformed slugs, nothing made), shows it with its subscribers, offers it to the editors
// (asset list and the resthook action's feature filter), keeps viewers out, and removes it
// with its subscribers.
func TestResthooksPage(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s := testserver.Start(t, backend, testserver.Options{})
		f := &testserver.Flow{Name: "Register", Nodes: []*testserver.Node{{Actions: []map[string]any{testserver.Say("hi")}}}}
		s.Import(testserver.Export(f))
		ctx := t.Context()
		hooks := func() []*store.Resthook {
			t.Helper()
			list, err := s.Srv.Runtime.Store.ListResthooks(ctx, s.Workspace.ID)
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		assets := "/flow/assets/" + itoa(s.Workspace.ID) + "/1700000000000/resthooks/"
		var list struct {
			Results []map[string]any `json:"results"`
		}
		getJSON(t, s, assets, &list)
		if len(list.Results) != 0 {
			t.Fatalf("editor resthooks before any: %v", list.Results)
		}

		se := newSession(t, s)
		if st := se.signIn(s.Admin); st != http.StatusSeeOther {
			t.Fatalf("sign in: %d", st)
		}
		// the editor's configuration is on the page only when the build has the editor (npm ci)
		editorFilters := func() string {
			t.Helper()
			st, body := se.get("/flow/editor/" + f.UUID + "/")
			if st != 200 {
				t.Fatalf("editor page: %d", st)
			}
			i := strings.Index(body, `"filters":`)
			if i < 0 {
				t.Fatal("no filters in the editor's configuration")
			}
			return body[i : i+strings.IndexByte(body[i:], ']')+1]
		}
		if web.Vendored() {
			if got := editorFilters(); got != `"filters":[]` {
				t.Fatalf("editor filters of a workspace without resthooks: %s", got)
			}
		}
		if st, body := se.get("/resthooks/"); st != 200 || !strings.Contains(body, "No resthooks.") {
			t.Fatalf("empty page: %d %s", st, body)
		}
		if st, _, _ := se.postForm("/resthooks/", url.Values{"new_slug": {"mother-registration"}}); st != http.StatusForbidden || len(hooks()) != 0 {
			t.Fatalf("CSRF-less add: %d, %d resthooks", st, len(hooks()))
		}
		st, _, resp := se.postForm("/resthooks/", url.Values{"csrfmiddlewaretoken": {se.csrf}, "new_slug": {"Mother-Registration "}})
		if st != http.StatusSeeOther || resp.Header.Get("Location") != "/resthooks/?created=mother-registration" {
			t.Fatalf("add: %d %s", st, resp.Header.Get("Location"))
		}
		if h := hooks(); len(h) != 1 || h[0].Slug != "mother-registration" {
			t.Fatalf("resthooks after the add: %+v", h)
		}
		for _, bad := range []struct{ slug, want string }{
			{"mother-registration", "This event name has already been used."},
			{"MOTHER-registration", "This event name has already been used."},
			{"new registration", "Enter a valid slug"},
			{strings.Repeat("x", 51), "at most 50 characters"},
			{"", "This field is required."},
		} {
			st, body, _ := se.postForm("/resthooks/", url.Values{"csrfmiddlewaretoken": {se.csrf}, "new_slug": {bad.slug}})
			if st != http.StatusBadRequest || !strings.Contains(body, bad.want) {
				t.Fatalf("add %q: %d, want 400 saying %q", bad.slug, st, bad.want)
			}
		}
		if len(hooks()) != 1 {
			t.Fatalf("refused adds made resthooks: %+v", hooks())
		}
		sub := &store.ResthookSubscriber{WorkspaceID: s.Workspace.ID, Resthook: "mother-registration", TargetURL: "https://hooks.example.com/mothers"}
		if err := s.Srv.Runtime.Subscribe(ctx, sub); err != nil {
			t.Fatal(err)
		}
		if st, body := se.get("/resthooks/?created=mother-registration"); st != 200 || !strings.Contains(body, "<code>mother-registration</code>") ||
			!strings.Contains(body, "https://hooks.example.com/mothers") || !strings.Contains(body, "Resthook mother-registration created") {
			t.Fatalf("page with a resthook: %d %s", st, body)
		}

		// the editors: the asset list and the action offered
		getJSON(t, s, assets, &list)
		if len(list.Results) != 1 || list.Results[0]["resthook"] != "mother-registration" || list.Results[0]["modified_on"] == nil {
			t.Fatalf("editor resthooks: %v", list.Results)
		}
		if web.Vendored() {
			if got := editorFilters(); got != `"filters":["resthook"]` {
				t.Fatalf("editor filters of a workspace with a resthook: %s", got)
			}
		}

		// viewers neither see nor change resthooks
		if err := s.Srv.Users.CreateDirect(ctx, "viewer", "viewer-pw-1", []string{"mm-online", "messaging_viewer"}); err != nil {
			t.Fatal(err)
		}
		v := newSession(t, s)
		if st := v.signInAs("viewer", "viewer-pw-1"); st != http.StatusSeeOther {
			t.Fatalf("viewer sign in: %d", st)
		}
		if st, _ := v.get("/resthooks/"); st != http.StatusForbidden {
			t.Fatalf("viewer page: %d", st)
		}
		if st, _, _ := v.postForm("/resthooks/remove/", url.Values{"csrfmiddlewaretoken": {v.csrf}, "slug": {"mother-registration"}}); st != http.StatusForbidden || len(hooks()) != 1 {
			t.Fatalf("viewer remove: %d", st)
		}

		st, _, resp = se.postForm("/resthooks/remove/", url.Values{"csrfmiddlewaretoken": {se.csrf}, "slug": {"mother-registration"}})
		if st != http.StatusSeeOther || resp.Header.Get("Location") != "/resthooks/?removed=mother-registration" || len(hooks()) != 0 {
			t.Fatalf("remove: %d %s", st, resp.Header.Get("Location"))
		}
		if subs, _ := s.Srv.Runtime.Store.ListResthookSubscribers(ctx, s.Workspace.ID); len(subs) != 0 {
			t.Fatalf("subscribers of a removed resthook: %+v", subs)
		}
		if st, body, _ := se.postForm("/resthooks/remove/", url.Values{"csrfmiddlewaretoken": {se.csrf}, "slug": {"mother-registration"}}); st != http.StatusNotFound || !strings.Contains(body, "No resthook mother-registration") {
			t.Fatalf("remove again: %d", st)
		}
		getJSON(t, s, assets, &list)
		if len(list.Results) != 0 {
			t.Fatalf("editor resthooks after the remove: %v", list.Results)
		}
	})
}
