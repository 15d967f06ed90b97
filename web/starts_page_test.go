package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"careflow/internal/testserver"
	"careflow/store"
)

// TestFlowStartProgress starts a flow from the console for a group and a query, follows the
// start's page and status endpoint to completion with the contacts counted, and refuses bad
// starts with a 400 that names the problem and starts nothing.
func TestFlowStartProgress(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s, f, _, _ := setup(t, backend, true)
		ctx := t.Context()
		st := s.Srv.Runtime.Store
		g := &store.Group{WorkspaceID: s.Workspace.ID, UUID: testserver.UUID(), Name: "Cohort", Status: "ready"}
		if err := st.SaveGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		const members = 120
		for i := range members {
			c := &store.Contact{WorkspaceID: s.Workspace.ID, UUID: testserver.UUID(), Name: fmt.Sprintf("C%03d", i), Status: "active",
				Groups: []int64{g.ID}, URNs: []store.ContactURN{{Identity: fmt.Sprintf("tel:+25078810%04d", i)}}}
			if err := st.CreateContact(ctx, c, nil); err != nil {
				t.Fatal(err)
			}
		}
		s.Srv.Runtime.Invalidate(s.Workspace.ID)
		se := newSession(t, s)
		if code := se.signIn(s.Admin); code != http.StatusSeeOther {
			t.Fatalf("sign in: %d", code)
		}
		if code, body := se.get("/flow/start/" + f.UUID + "/"); code != 200 || !strings.Contains(body, "Cohort") {
			t.Fatalf("start form: %d", code)
		}
		starts := func() int {
			list, err := st.ListStarts(ctx, s.Workspace.ID, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		bad := []struct {
			form url.Values
			want string
		}{
			{url.Values{}, "at least one group"},
			{url.Values{"query": {"age >>> 3"}}, "query:"},
			{url.Values{"groups": {testserver.UUID()}}, "groups: no such object"},
			{url.Values{"query": {strings.Repeat("a", 2001)}}, "at most 2000"},
		}
		for _, b := range bad {
			b.form.Set("csrfmiddlewaretoken", se.csrf)
			if code, body, _ := se.postForm("/flow/start/"+f.UUID+"/", b.form); code != 400 || !strings.Contains(body, b.want) {
				t.Fatalf("bad start %v: %d, want 400 with %q", b.form, code, b.want)
			}
		}
		if code, _, _ := se.postForm("/flow/start/"+f.UUID+"/", url.Values{"groups": {g.UUID}}); code != http.StatusForbidden {
			t.Fatalf("CSRF-less start: %d", code)
		}
		if n := starts(); n != 0 {
			t.Fatalf("refused starts made %d starts", n)
		}

		code, _, resp := se.postForm("/flow/start/"+f.UUID+"/", url.Values{"csrfmiddlewaretoken": {se.csrf}, "groups": {g.UUID}, "query": {`name ~ "C0"`}})
		loc := resp.Header.Get("Location")
		if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/flow/starts/") {
			t.Fatalf("start: %d %q", code, loc)
		}
		// the status endpoint, polled as a script would, until the start is final
		var p struct {
			Status       string `json:"status"`
			Final        bool   `json:"final"`
			Resolved     bool   `json:"resolved"`
			ContactCount int    `json:"contact_count"`
			Done         int    `json:"done"`
			Percent      int    `json:"percent"`
			Flow         string `json:"flow"`
		}
		seen := map[string]bool{}
		deadline := time.Now().Add(30 * time.Second)
		for !p.Final {
			if time.Now().After(deadline) {
				t.Fatalf("the start did not finish: %+v", p)
			}
			code, body := se.get(loc + "status.json")
			if code != 200 {
				t.Fatalf("status: %d %s", code, body)
			}
			if err := json.Unmarshal([]byte(body), &p); err != nil {
				t.Fatal(err)
			}
			seen[p.Status] = true
			if p.Resolved && (p.Done < 0 || p.Done > p.ContactCount) {
				t.Fatalf("progress out of range: %+v", p)
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("statuses seen while polling: %v", seen)
		// groups and query are a union: the whole group of 120 (the query matches members too)
		if p.Status != "completed" || p.ContactCount != members || p.Done != members || p.Percent != 100 || p.Flow != "Register" {
			t.Fatalf("final progress: %+v", p)
		}
		code, body := se.get(loc)
		if code != 200 || !strings.Contains(body, ">completed<") || !strings.Contains(body, fmt.Sprintf("%d of %d contacts", members, members)) || strings.Contains(body, `http-equiv="refresh"`) {
			t.Fatalf("final start page: %d", code)
		}
		if code, body := se.get("/flow/starts/"); code != 200 || !strings.Contains(body, "Register") || !strings.Contains(body, "(manual)") {
			t.Fatalf("starts list: %d", code)
		}
		for path, want := range map[string]int{"/flow/starts/999999/": 404, "/flow/starts/abc/": 400, "/flow/starts/?before=x": 400, "/flow/starts/999999/status.json": 404} {
			if code, _ := se.get(path); code != want {
				t.Fatalf("%s: %d, want %d", path, code, want)
			}
		}
	})
}
