package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"careflow/server"
	"careflow/store/storetest"
)

func backends(t *testing.T, run func(t *testing.T, db string)) {
	t.Run("sqlite", func(t *testing.T) { run(t, "") })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.PostgresSchemaDSN(t)) })
}

func login(e *e2e, name, password string, headers ...string) *http.Response {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.base+"/_session", strings.NewReader(`{"name":"`+name+`","password":"`+password+`"}`))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// TestLoginThrottling: after too many failures a name is locked out, by POST /_session and by
// Basic auth alike, with a 429 and Retry-After; other names keep working.
func TestLoginThrottling(t *testing.T) {
	backends(t, func(t *testing.T, db string) {
		e, srv := startServerWith(t, db, map[string]string{
			server.OptionLoginMaxUserFailures: "3", server.OptionLoginMaxAddrFailures: "100", server.OptionLoginLockout: "1m",
		}, io.Discard)
		addGateway(t, srv)
		for i := range 3 {
			if resp := login(e, "rapidpro", "wrong"); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
			}
		}
		resp := login(e, "rapidpro", gatewayPassword)
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "60" {
			t.Fatalf("locked-out login: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		st, body, hdr := e.send("GET", "/api/v1/settings", "rapidpro", nil)
		if st != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" || !strings.Contains(body, `"error":"too_many_requests"`) {
			t.Fatalf("locked-out Basic auth: %d %s", st, body)
		}
		if st, _, _ := e.send("GET", "/api/v1/settings", "admin", nil); st != http.StatusOK {
			t.Fatalf("another name: %d", st)
		}
	})
}

// TestSessionLogout: DELETE /_session revokes the cookie itself, so a copy kept elsewhere
// stops working (it was only expired in the browser before); cookies carry SameSite, and
// Secure behind TLS.
func TestSessionLogout(t *testing.T) {
	backends(t, func(t *testing.T, db string) {
		e, srv := startServerWith(t, db, nil, io.Discard)
		addGateway(t, srv)
		resp := login(e, "rapidpro", gatewayPassword)
		setCookie := resp.Header.Get("Set-Cookie")
		if resp.StatusCode != 200 || !strings.Contains(setCookie, "; SameSite=Lax") || strings.Contains(setCookie, "Secure") {
			t.Fatalf("login over plain HTTP: %d %q", resp.StatusCode, setCookie)
		}
		cookie := resp.Cookies()[0]
		if tls := login(e, "rapidpro", gatewayPassword, "X-Forwarded-Proto", "https"); !strings.Contains(tls.Header.Get("Set-Cookie"), "; Secure") {
			t.Fatalf("login behind TLS: %q", tls.Header.Get("Set-Cookie"))
		}
		withCookie := func(method, path string) (int, string) {
			req, _ := http.NewRequest(method, e.base+path, nil)
			req.Header.Set("Accept", "application/json")
			req.AddCookie(cookie)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		if st, body := withCookie("GET", "/_session"); st != 200 || !strings.Contains(body, `"name":"rapidpro"`) {
			t.Fatalf("session before logout: %d %s", st, body)
		}
		if st, _ := withCookie("DELETE", "/_session"); st != 200 {
			t.Fatalf("logout: %d", st)
		}
		if st, body := withCookie("GET", "/_session"); st != 200 || !strings.Contains(body, `"name":null`) {
			t.Fatalf("session after logout: %d %s", st, body)
		}
		if st, _ := withCookie("GET", "/api/v1/settings"); st != http.StatusUnauthorized {
			t.Fatalf("revoked cookie on the API: %d", st)
		}
	})
}
