package channel_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"careflow/channel"
	"careflow/internal/testserver"
	"careflow/secret"
	"careflow/store"
)

// fakeProvider is a local provider: it records every request a channel makes and answers
// with answer (200 "{}" by default).
type fakeProvider struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []fakeReq
	answer func(r fakeReq) (int, string)
	got    chan struct{}
}

type fakeReq struct {
	Method string
	Path   string
	Header http.Header
	Body   string
	Form   url.Values
	At     time.Time
}

func newFakeProvider(t *testing.T) *fakeProvider {
	f := &fakeProvider{got: make(chan struct{}, 10000)}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fr := fakeReq{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: string(body), At: time.Now()}
		fr.Form, _ = url.ParseQuery(string(body))
		if r.URL.RawQuery != "" {
			q := r.URL.Query()
			for k, v := range q {
				fr.Form[k] = append(fr.Form[k], v...)
			}
		}
		f.mu.Lock()
		f.reqs = append(f.reqs, fr)
		answer := f.answer
		f.mu.Unlock()
		status, resp := 200, "{}"
		if answer != nil {
			status, resp = answer(fr)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, resp)
		f.got <- struct{}{}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeProvider) setAnswer(fn func(r fakeReq) (int, string)) {
	f.mu.Lock()
	f.answer = fn
	f.mu.Unlock()
}

// wait returns once n requests in all arrived.
func (f *fakeProvider) wait(t *testing.T, n int) []fakeReq {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		f.mu.Lock()
		reqs := append([]fakeReq(nil), f.reqs...)
		f.mu.Unlock()
		if len(reqs) >= n {
			return reqs
		}
		if time.Now().After(deadline) {
			t.Fatalf("provider got %d requests, want %d", len(reqs), n)
		}
		select {
		case <-f.got:
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (f *fakeProvider) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}

// addChannel adds a channel of a type to the server's first workspace; the test channel is
// retired so the flows' messages go out through the new one.
func addChannel(t *testing.T, s *testserver.Server, spec channel.ChannelSpec) *store.Channel {
	t.Helper()
	ctx := context.Background()
	spec.WorkspaceID = s.Workspace.ID
	ch, err := s.Srv.Channels.AddChannel(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	test := *s.Channel
	test.Deleted = true
	if err := s.Srv.Runtime.Store.SaveChannel(ctx, &test); err != nil {
		t.Fatal(err)
	}
	s.Srv.Runtime.Invalidate(s.Workspace.ID)
	return ch
}

// post sends a provider request to the server.
func post(t *testing.T, s *testserver.Server, path, contentType, body string, headers map[string]string) (int, map[string]any, string) {
	t.Helper()
	h := map[string]string{"Content-Type": contentType}
	for k, v := range headers {
		h[k] = v
	}
	status, resp := s.Do("POST", path, h, []byte(body), "", "")
	var out map[string]any
	_ = json.Unmarshal(resp, &out)
	return status, out, string(resp)
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

// msgs lists the workspace's messages, newest first.
func msgs(t *testing.T, s *testserver.Server, incoming bool) []*store.Msg {
	t.Helper()
	list, err := s.Srv.Runtime.Store.ListMsgs(context.Background(), s.Workspace.ID, store.MsgQuery{Incoming: &incoming, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// waitStatus waits for the message to reach a status.
func waitStatus(t *testing.T, s *testserver.Server, uuid, status string) *store.Msg {
	t.Helper()
	cs := s.Srv.Store.(store.ChannelStore)
	deadline := time.Now().Add(20 * time.Second)
	for {
		m, err := cs.GetMsgByUUID(context.Background(), uuid)
		if err == nil && m.Status == status {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("message %s: %+v %v, want status %s", uuid, m, err, status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func errText(out map[string]any) string {
	data, _ := out["data"].([]any)
	var texts []string
	for _, d := range data {
		if m, ok := d.(map[string]any); ok {
			if e, ok := m["error"].(string); ok {
				texts = append(texts, e)
			}
		}
	}
	return strings.Join(texts, "; ")
}

func decode(t *testing.T, body string) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return out
}

// findMsg waits for an outgoing message matching ok.
func findMsg(t *testing.T, s *testserver.Server, ok func(*store.Msg) bool) *store.Msg {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		for _, m := range msgs(t, s, false) {
			if ok(m) {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no such message")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestRedactionCoversEncodings(t *testing.T) {
	typ := channel.Lookup("NX")
	box := newBox(t)
	ch := &store.Channel{UUID: "c1", Type: "NX"}
	raw, err := channel.SealConfig(box, typ, ch.UUID, channel.Config{"api_key": "k", "api_secret": "a+b/c=d&e"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "a+b/c") {
		t.Fatalf("secret stored in the clear: %s", raw)
	}
	ch.Config = raw
	cfg, err := channel.OpenConfig(box, typ, ch)
	if err != nil || cfg.Str("api_secret") != "a+b/c=d&e" {
		t.Fatalf("open: %v %v", cfg, err)
	}
	r := channel.Redactor(typ, cfg)
	for _, text := range []string{"a+b/c=d&e", url.QueryEscape("a+b/c=d&e"), `{"s":"a+b/c=d\u0026e"}`} {
		if out := r.Replace(text); strings.Contains(out, "b/c") || strings.Contains(out, "b%2Fc") {
			t.Errorf("not redacted: %s -> %s", text, out)
		}
	}
}

func newBox(t *testing.T) *secret.Box {
	b, err := secret.NewBox(make([]byte, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
