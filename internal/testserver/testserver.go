// Package testserver starts a real careflow server for end-to-end tests: a fresh database
// (SQLite in a temporary folder, or a fresh PostgreSQL schema), listening on 127.0.0.1, with
// helpers to call it over HTTP and to play a contact's phone on the test channel.
package testserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"testing"
	"time"

	"careflow/channel"
	"careflow/runtime"
	"careflow/server"
	"careflow/store"
	"careflow/store/storetest"
)

// Server is a running careflow for one test.
type Server struct {
	T      testing.TB
	Srv    *server.Server
	Base   string
	Admin  string // the first admin's password
	Clock  *runtime.ManualClock
	Client *http.Client
	// DSN is the database (empty for the SQLite file in the data folder).
	DSN string
	// Workspace and Channel are the first workspace and its test channel.
	Workspace *store.Workspace
	Channel   *store.Channel

	dir  string
	stop context.CancelFunc
	done chan error
}

// Options adjust a server.
type Options struct {
	// Clock, when set, is the runtime's clock (tests move it to fire timers).
	Clock *runtime.ManualClock
	// Options are module settings.
	Options map[string]string
	// Services replaces the engine services (webhooks with a test policy, ...).
	Services runtime.Services
	// Log receives the server's logs (default: warnings and errors to the test log).
	Log io.Writer
	// DSN, when set, is the database to use (a second node on the same PostgreSQL schema).
	DSN string
}

var adminPassword = regexp.MustCompile(`user "admin" with password (\S+)`)

// Backends runs fn once on SQLite and once on PostgreSQL (skipped locally without
// CAREFLOW_TEST_POSTGRES, a failure in CI).
func Backends(t *testing.T, fn func(t *testing.T, backend string)) {
	for _, b := range []string{"sqlite", "postgres"} {
		t.Run(b, func(t *testing.T) { fn(t, b) })
	}
}

// Start starts a server on a fresh database of the backend.
func Start(t testing.TB, backend string, o Options) *Server {
	t.Helper()
	db := o.DSN
	if backend == "postgres" && db == "" {
		tt, ok := t.(*testing.T)
		if !ok {
			t.Fatal("postgres servers need a *testing.T")
		}
		db = storetest.PostgresSchemaDSN(tt)
	}
	dir := t.(interface{ TempDir() string }).TempDir()
	var out bytes.Buffer
	opts := map[string]string{server.OptionPasswordIterations: "1000"}
	for k, v := range o.Options {
		opts[k] = v
	}
	// Warnings and errors go to the test's log, so a failing test shows what the server saw.
	var logger *slog.Logger
	if o.Log != nil {
		logger = slog.New(slog.NewTextHandler(o.Log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	} else {
		logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	cfg := server.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: db, Out: &out,
		Logger: logger, Options: opts,
		MessagingServices: o.Services}
	if o.Clock != nil {
		cfg.Clock = o.Clock
	}
	ctx := context.Background()
	srv, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatalf("start server: %v", err)
	}
	addr, err := srv.Listen()
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	m := adminPassword.FindStringSubmatch(out.String())
	if m == nil && o.DSN == "" {
		srv.Close()
		t.Fatalf("no admin password printed: %q", out.String())
	}
	if m == nil {
		m = []string{"", ""} // a second node: the first printed the password
	}
	sctx, stop := context.WithCancel(ctx)
	s := &Server{T: t, Srv: srv, Base: "http://" + addr, Admin: m[1], Clock: o.Clock, DSN: db, dir: dir, stop: stop,
		done: make(chan error, 1), Client: &http.Client{Timeout: 60 * time.Second}}
	go func() { s.done <- srv.Serve(sctx) }()
	t.Cleanup(s.Close)
	list, err := srv.Runtime.Store.ListWorkspaces(ctx)
	if err != nil || len(list) == 0 {
		t.Fatalf("no workspace: %v", err)
	}
	s.Workspace = list[0]
	chans, err := srv.Runtime.Store.ListChannels(ctx, s.Workspace.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chans {
		if c.Type == runtime.TestChannelType {
			s.Channel = c
		}
	}
	return s
}

// Close stops the server (idempotent).
func (s *Server) Close() {
	if s.stop == nil {
		return
	}
	s.stop()
	<-s.done
	s.Srv.Close()
	s.stop = nil
}

// Do sends a request and returns the status and body; user "admin" signs in as the admin.
func (s *Server) Do(method, path string, headers map[string]string, body []byte, user, password string) (int, []byte) {
	s.T.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, s.Base+path, rd)
	if err != nil {
		s.T.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if user == "admin" && password == "" {
		password = s.Admin
	}
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		s.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.T.Fatal(err)
	}
	return resp.StatusCode, b
}

// JSON sends a JSON body and decodes a JSON answer into out (when not nil).
func (s *Server) JSON(method, path string, body any, user string, out any) int {
	s.T.Helper()
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			s.T.Fatal(err)
		}
	}
	status, resp := s.Do(method, path, map[string]string{"Content-Type": "application/json", "Accept": "application/json"}, data, user, "")
	if out != nil && len(resp) > 0 {
		if err := json.Unmarshal(resp, out); err != nil {
			s.T.Fatalf("%s %s: %d %s: %v", method, path, status, resp, err)
		}
	}
	return status
}

// Import imports an export file into the first workspace.
func (s *Server) Import(data []byte) *runtime.ImportResult {
	s.T.Helper()
	res, err := s.Srv.Runtime.Import(context.Background(), s.Workspace.ID, data, "test")
	if err != nil {
		s.T.Fatalf("import: %v", err)
	}
	return res
}

// Phone plays one contact on the test channel.
type Phone struct {
	S    *Server
	URN  string
	last int64
}

// Phone returns a phone for a URN (or a bare number).
func (s *Server) Phone(urn string) *Phone { return &Phone{S: s, URN: urn} }

// Send sends a message from the phone and returns the receive answer.
func (p *Phone) Send(text string) map[string]any {
	p.S.T.Helper()
	var out map[string]any
	status := p.S.JSON("POST", "/c/test/"+p.S.Channel.UUID+"/receive", map[string]string{"from": p.URN, "text": text}, "", &out)
	if status != http.StatusOK {
		p.S.T.Fatalf("send %q: %d %v", text, status, out)
	}
	return out
}

// Event sends a channel event from the phone.
func (p *Phone) Event(typ string, extra map[string]string) {
	p.S.T.Helper()
	body := map[string]string{"from": p.URN, "type": typ}
	for k, v := range extra {
		body[k] = v
	}
	var out map[string]any
	if status := p.S.JSON("POST", "/c/test/"+p.S.Channel.UUID+"/event", body, "", &out); status != http.StatusOK {
		p.S.T.Fatalf("event %s: %d %v", typ, status, out)
	}
}

// Expect waits for the next n messages to the phone and returns their texts.
func (p *Phone) Expect(n int) []string {
	p.S.T.Helper()
	var texts []string
	deadline := time.Now().Add(15 * time.Second)
	for len(texts) < n {
		if time.Now().After(deadline) {
			p.S.T.Fatalf("phone %s: got %d messages %q, want %d", p.URN, len(texts), texts, n)
		}
		msgs := p.Poll(2 * time.Second)
		for _, m := range msgs {
			texts = append(texts, m.Text)
		}
	}
	if len(texts) > n {
		p.S.T.Fatalf("phone %s: got %d messages %q, want %d", p.URN, len(texts), texts, n)
	}
	return texts
}

// Poll returns the messages sent to the phone since the last poll, waiting up to wait.
func (p *Phone) Poll(wait time.Duration) []channel.OutboxMsg {
	p.S.T.Helper()
	path := fmt.Sprintf("/c/test/%s/outbox?urn=%s&after=%d&wait=%s", p.S.Channel.UUID, urlQuery(p.URN), p.last, wait)
	status, body := p.S.Do("GET", path, nil, nil, "admin", "")
	if status != http.StatusOK {
		p.S.T.Fatalf("outbox: %d %s", status, body)
	}
	var out struct {
		Messages []channel.OutboxMsg `json:"messages"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		p.S.T.Fatal(err)
	}
	for _, m := range out.Messages {
		if m.ID > p.last {
			p.last = m.ID
		}
	}
	return out.Messages
}

// Quiet checks no message reaches the phone within d.
func (p *Phone) Quiet(d time.Duration) {
	p.S.T.Helper()
	if msgs := p.Poll(d); len(msgs) > 0 {
		texts := []string{}
		for _, m := range msgs {
			texts = append(texts, m.Text)
		}
		p.S.T.Fatalf("phone %s: unexpected messages %q", p.URN, texts)
	}
}

func urlQuery(s string) string {
	var b bytes.Buffer
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.', c == '_':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// testWriter writes log lines to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// Idle waits until the workspace has no queued contact tasks (everything received so far
// has been handled).
func (s *Server) Idle() {
	s.T.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		n, err := s.Srv.Runtime.Store.PendingTasks(context.Background(), s.Workspace.ID)
		if err != nil {
			s.T.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			s.T.Fatalf("%d contact tasks still queued after 15s", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
