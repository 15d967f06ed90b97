package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"careflow/api"
	"careflow/internal/testserver"
)

// client calls the API with a token, as RapidPro's clients do.
type client struct {
	t     *testing.T
	s     *testserver.Server
	token string
}

func newClient(t *testing.T, s *testserver.Server) *client {
	t.Helper()
	key, err := api.CreateToken(context.Background(), s.Srv.Store.(api.Store), s.Workspace.ID, "admin", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, s: s, token: key}
}

// do sends a request (body is JSON-encoded unless it is a string) and returns the status,
// headers and decoded body.
func (c *client) do(method, path string, body any) (int, http.Header, any) {
	c.t.Helper()
	var rd *strings.Reader
	switch b := body.(type) {
	case nil:
		rd = strings.NewReader("")
	case string:
		rd = strings.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = strings.NewReader(string(data))
	}
	req, err := http.NewRequest(method, path, rd)
	if !strings.HasPrefix(path, "http") {
		req, err = http.NewRequest(method, c.s.Base+path, rd)
	}
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Token "+c.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.s.Client.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out any
	if resp.StatusCode != http.StatusNoContent {
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			c.t.Fatalf("%s %s: %d: undecodable body: %v", method, path, resp.StatusCode, err)
		}
	}
	return resp.StatusCode, resp.Header, out
}

// expect checks a status and, when want is not nil, that the body is exactly want (as JSON).
func (c *client) expect(method, path string, body any, status int, want any) any {
	c.t.Helper()
	got, _, out := c.do(method, path, body)
	if got != status {
		b, _ := json.Marshal(out)
		if len(b) > 600 {
			b = append(b[:600], "..."...)
		}
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, got, status, b)
	}
	if want != nil {
		a, _ := json.Marshal(out)
		b, _ := json.Marshal(want)
		if string(a) != string(b) {
			c.t.Fatalf("%s %s:\n got %s\nwant %s", method, path, a, b)
		}
	}
	return out
}

// obj and list read decoded JSON.
func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func list(v any) []any         { l, _ := v.([]any); return l }

// hasKeys checks an item has exactly these keys.
func hasKeys(t *testing.T, what string, item map[string]any, keys ...string) {
	t.Helper()
	if len(item) != len(keys) {
		t.Fatalf("%s: %d keys, want %d: %v", what, len(item), len(keys), item)
	}
	for _, k := range keys {
		if _, ok := item[k]; !ok {
			t.Fatalf("%s: no key %q: %v", what, k, item)
		}
	}
}

// isDate checks a RapidPro date: UTC, microseconds, Z.
func isDate(t *testing.T, what string, v any) {
	t.Helper()
	s, _ := v.(string)
	if _, err := time.Parse("2006-01-02T15:04:05.000000Z", s); err != nil || len(s) != 27 {
		t.Fatalf("%s: %q is not a RapidPro date", what, v)
	}
}

func marshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func itoa(n int) string { return strconv.Itoa(n) }
