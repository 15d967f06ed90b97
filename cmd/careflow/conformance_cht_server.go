package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"

	"careflow/cht"
	"careflow/server"
	"careflow/store"
)

// chtServer is a careflow server on 127.0.0.1 with a fresh database in a temporary folder, for
// the CHT conformance suites: each case runs against its own.
type chtServer struct {
	srv    *server.Server
	base   string
	admin  string // the first admin's password
	dir    string
	stop   context.CancelFunc
	done   chan error
	client *http.Client
}

// chtTestIterations keeps password hashing cheap for servers that live for one case.
const chtTestIterations = 1000

var adminPassword = regexp.MustCompile(`user "admin" with password (\S+)`)

func startCHTServer(ctx context.Context) (*chtServer, error) { return startCHTServerOn(ctx, "") }

// startCHTServerOn starts the server on the database db (a DSN; empty means SQLite in the
// temporary folder).
func startCHTServerOn(ctx context.Context, db string) (*chtServer, error) {
	dir, err := os.MkdirTemp("", "careflow-cht-")
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	srv, err := server.New(ctx, server.Config{
		Addr: "127.0.0.1:0", DataDir: dir, DB: db, Out: &out,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Options: map[string]string{server.OptionPasswordIterations: fmt.Sprint(chtTestIterations)},
	})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	addr, err := srv.Listen()
	if err != nil {
		srv.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	m := adminPassword.FindStringSubmatch(out.String())
	if m == nil {
		srv.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("no admin password printed: %q", out.String())
	}
	sctx, stop := context.WithCancel(ctx)
	cs := &chtServer{srv: srv, base: "http://" + addr, admin: m[1], dir: dir, stop: stop, done: make(chan error, 1),
		client: &http.Client{Timeout: 30 * time.Second}}
	go func() { cs.done <- srv.Serve(sctx) }()
	return cs, nil
}

// startCHTCaseServer starts a server for one conformance case, with the case's app settings.
func startCHTCaseServer(ctx context.Context, settings json.RawMessage) (*chtServer, error) {
	cs, err := startCHTServer(ctx)
	if err != nil {
		return nil, fmt.Errorf("start server: %w", err)
	}
	if err := cs.setSettings(settings); err != nil {
		cs.close()
		return nil, fmt.Errorf("settings: %w", err)
	}
	return cs, nil
}

func (cs *chtServer) close() {
	cs.stop()
	<-cs.done
	cs.srv.Close()
	os.RemoveAll(cs.dir)
}

// do sends a request; user and password may be empty for none.
func (cs *chtServer) do(method, path string, headers map[string]string, body []byte, user, password string) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, cs.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	resp, err := cs.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// asAdmin sends JSON as the first admin and requires a 2xx answer.
func (cs *chtServer) asAdmin(method, path string, body any) ([]byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	status, resp, err := cs.do(method, path, map[string]string{"Content-Type": "application/json", "Accept": "application/json"}, b, "admin", cs.admin)
	if err != nil {
		return nil, err
	}
	if status/100 != 2 {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, status, resp)
	}
	return resp, nil
}

// setSettings replaces the app settings with s (CHT's defaults for permissions are filled in).
func (cs *chtServer) setSettings(s json.RawMessage) error {
	if len(s) == 0 {
		s = json.RawMessage("{}")
	}
	_, err := cs.asAdmin("PUT", "/api/v1/settings?overwrite=1", s)
	return err
}

// addUser creates a login with exactly roles, straight in the store (conformance users may
// carry roles the users API would rewrite).
func (cs *chtServer) addUser(ctx context.Context, name, password string, roles []string) error {
	hash, err := cht.HashPassword(password, chtTestIterations)
	if err != nil {
		return err
	}
	_, err = cs.srv.Store.CreateUser(ctx, store.User{Name: name, PasswordHash: hash, Roles: roles, Settings: json.RawMessage(`{}`)})
	return err
}

// jsonEqual compares two JSON texts as values (member order ignored).
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}

// topLevelKeys lists a JSON object's member names in order.
func topLevelKeys(b []byte) []string {
	members, err := store.ObjectMembers(b)
	if err != nil {
		return nil
	}
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = m.Key
	}
	return out
}

func compactJSON(b []byte) string {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return strings.TrimSpace(string(b))
	}
	return buf.String()
}

func jsonReader(b []byte) io.Reader {
	if len(b) == 0 {
		return strings.NewReader("{}")
	}
	return bytes.NewReader(b)
}

func readAll(resp *http.Response) []byte {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}
