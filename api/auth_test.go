package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"careflow/api"
	. "careflow/internal/testserver"
)

// TestAuth: the forms of credentials RapidPro accepts and the 403 bodies it gives for the
// others, the index, the .json and bare paths, and the per-workspace rate limit.
func TestAuth(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{Options: map[string]string{"api.rates": "v2=4/minute"}})
		c := newClient(t, s)
		anon := &client{t: t, s: s}
		anon.expect("GET", "/api/v2/workspace.json", nil, 403, map[string]string{"detail": "Authentication credentials were not provided."})
		bad := &client{t: t, s: s, token: "0123456789012345678901234567890123456789"}
		bad.expect("GET", "/api/v2/workspace.json", nil, 403, map[string]string{"detail": "Invalid token"})

		// Bearer is not a form RapidPro reads: the request is anonymous.
		req, _ := http.NewRequest("GET", s.Base+"/api/v2/workspace.json", nil)
		req.Header.Set("Authorization", "Bearer "+c.token)
		resp, err := s.Client.Do(req)
		if err != nil || resp.StatusCode != 403 {
			t.Fatalf("bearer: %v %v", resp.StatusCode, err)
		}
		resp.Body.Close()

		// Basic: the user and a token as the password.
		status, _ := s.Do("GET", "/api/v2/workspace.json", nil, nil, "admin", c.token)
		if status != 200 {
			t.Fatalf("basic with token: %d", status)
		}
		status, body := s.Do("GET", "/api/v2/workspace.json", nil, nil, "someone", c.token)
		if status != 403 || !strings.Contains(string(body), "Invalid token or email") {
			t.Fatalf("basic with another user: %d %s", status, body)
		}

		// Only administrators and editors get tokens.
		if err := s.Srv.Users.CreateDirect(context.Background(), "chw", "secret-pass-1", []string{"chw"}); err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateToken(context.Background(), s.Srv.Store.(api.Store), s.Workspace.ID, "chw", time.Now()); err == nil {
			t.Fatal("a user with no messaging role got a token")
		}

		// Index, suffixes and the workspace header. (Four requests fill the limit.)
		idx := c.expect("GET", "/api/v2/", nil, 200, nil)
		if obj(idx)["flow_starts"] != s.Base+"/api/v2/flow_starts" || len(obj(idx)) < 13 {
			t.Fatalf("index: %v", idx)
		}
		ws := obj(c.expect("GET", "/api/v2/workspace.json", nil, 200, nil))
		hasKeys(t, "workspace", ws, "uuid", "name", "country", "languages", "timezone", "date_style", "anon", "credits", "primary_language")
		if ws["uuid"] != s.Workspace.UUID || ws["timezone"] != "UTC" || ws["country"] != nil {
			t.Fatalf("workspace: %v", ws)
		}
		_, hdr, _ := c.do("GET", "/api/v2/org.json/", nil)
		if hdr.Get("X-Temba-Workspace") != s.Workspace.UUID {
			t.Fatalf("X-Temba-Workspace: %q", hdr.Get("X-Temba-Workspace"))
		}
		c.expect("GET", "/api/v2/workspace", nil, 200, nil)
		c.expect("GET", "/api/v2/workspace.xml", nil, 404, map[string]string{"detail": "Not found."})
		c.expect("PUT", "/api/v2/workspace.json", nil, 405, map[string]string{"detail": `Method "PUT" not allowed.`})
		st, hdr, out := c.do("GET", "/api/v2/flows.json", nil)
		if st != 429 || hdr.Get("Retry-After") == "" || !strings.HasPrefix(obj(out)["detail"].(string), "Request was throttled. Expected available in ") {
			t.Fatalf("throttle: %d %v %v", st, hdr, out)
		}
		if _, err := time.ParseDuration(hdr.Get("Retry-After") + "s"); err != nil {
			t.Fatalf("Retry-After %q is not an integer", hdr.Get("Retry-After"))
		}
		// Contacts have their own bucket.
		c.expect("GET", "/api/v2/contacts.json", nil, 200, nil)
	})
}
