package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"careflow/cht/outbound"
)

func init() {
	// All 77 cases pass; nothing is allowed to fail.
	registerSuite("cht-outbound", "conformance/cht/outbound_cases.json", 0, runOutboundSuite)
}

// runOutboundSuite checks relevance, cron windows, payloads, body bytes, hashes, dedupe and the
// HTTP requests of each case (spec cht.md §8.1). Requests go to an in-process transport that
// answers with the case's mock responses, so no case touches the network.
func runOutboundSuite(ctx context.Context, path string, _ []string, out io.Writer) (int, int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, err
	}
	v, err := outbound.ParseJSON(raw)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", path, err)
	}
	cases, ok := v.(*outbound.Array)
	if !ok {
		return 0, 0, fmt.Errorf("%s: want an array of cases", path)
	}
	sb := outbound.NewSandbox()
	r := newCaseRun(ctx, "cht-outbound", out)
	for _, c := range cases.Elems {
		if err := r.check(str(get(c, "name")), func() []string { return checkOutboundCase(ctx, sb, c) }); err != nil {
			return r.done(err)
		}
	}
	return r.done(nil)
}

func get(v outbound.Value, keys ...string) outbound.Value {
	for _, k := range keys {
		o, ok := v.(*outbound.Object)
		if !ok {
			return outbound.Undefined
		}
		x, ok := o.Get(k)
		if !ok {
			return outbound.Undefined
		}
		v = x
	}
	return v
}

func str(v outbound.Value) string {
	s, _ := v.(string)
	return s
}

func matches(mode, want, got string) bool {
	switch mode {
	case "any":
		return true
	case "prefix":
		return strings.HasPrefix(got, want)
	}
	return got == want
}

func checkOutboundCase(ctx context.Context, sb *outbound.Sandbox, c outbound.Value) []string {
	var problems []string
	fail := func(f string, a ...any) { problems = append(problems, fmt.Sprintf(f, a...)) }
	name := str(get(c, "config_name"))
	cfg := outbound.Config{Name: name, Raw: get(c, "config")}
	now := time.Now().UTC()
	if s := str(get(c, "now")); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return []string{"bad now: " + err.Error()}
		}
		now = t.UTC()
	}
	outs, err := outbound.Evaluate(sb, get(c, "doc"), []outbound.Config{cfg}, outbound.EvalOptions{Now: now, AllPayloads: true})
	if err != nil {
		return []string{"evaluate: " + err.Error()}
	}
	o := outs[0]
	if get(c, "expect_relevant_error") == true {
		if o.RelevantErr == nil {
			fail("relevant_to: want an error, got %v", o.Relevant)
		}
	} else if want, _ := get(c, "expect_relevant").(bool); o.Relevant != want || o.RelevantErr != nil {
		fail("relevant: want %v, got %v (err %v)", want, o.Relevant, o.RelevantErr)
	}
	if d, ok := get(c, "expect_due").(bool); ok && o.Due != d {
		fail("due: want %v, got %v", d, o.Due)
	}
	if e, ok := get(c, "expect_error").(string); ok {
		if o.Err == nil {
			fail("want error %q, got payload %s", e, o.Body)
		} else if !matches(str(get(c, "expect_error_match")), e, o.Err.Error()) {
			fail("error: want %q (%s), got %q", e, str(get(c, "expect_error_match")), o.Err.Error())
		}
		return problems
	}
	want := get(c, "expect_payload")
	if want == outbound.Undefined {
		if o.Err != nil && cfg.Raw != outbound.Undefined && get(cfg.Raw, "mapping") != outbound.Undefined {
			fail("unexpected error %v", o.Err)
		}
		return problems
	}
	if o.Err != nil {
		return append(problems, "mapping: "+o.Err.Error())
	}
	if got, w := string(outbound.Stringify(o.Payload)), string(outbound.Stringify(want)); got != w {
		fail("payload: want %s, got %s", w, got)
	}
	if b := str(get(c, "expect_body")); string(o.Body) != b {
		fail("body: want %s, got %s", b, o.Body)
	}
	if h := str(get(c, "expect_hash")); o.Hash != h {
		fail("hash: want %s, got %s", h, o.Hash)
	}
	if as, ok := get(c, "expect_already_sent").(bool); ok {
		if got := outbound.AlreadySent(get(c, "info"), name, o.Hash); got != as {
			fail("already sent: want %v, got %v", as, got)
		}
	}
	reqs, _ := get(c, "expect_requests").(*outbound.Array)
	sendErr, hasSendErr := get(c, "expect_send_error").(string)
	if reqs == nil && !hasSendErr {
		return problems
	}
	rt := &mockTransport{responses: get(c, "mock_responses")}
	creds := mapCredentials{}
	if co, ok := get(c, "credentials").(*outbound.Object); ok {
		for _, k := range co.Keys() {
			v, _ := co.Get(k)
			creds[k] = str(v)
		}
	}
	sender := outbound.NewSender(creds)
	sender.Client = &http.Client{Transport: rt}
	_, err = sender.Send(ctx, cfg.Destination(), o.Body)
	switch {
	case hasSendErr && err == nil:
		fail("send: want error %q, got success", sendErr)
	case hasSendErr && !matches(str(get(c, "expect_send_error_match")), sendErr, err.Error()):
		fail("send error: want %q, got %q", sendErr, err.Error())
	case !hasSendErr && err != nil:
		fail("send: %v", err)
	}
	var wantReqs []outbound.Value
	if reqs != nil {
		wantReqs = reqs.Elems
	}
	if len(rt.seen) != len(wantReqs) {
		fail("requests: want %d, got %d", len(wantReqs), len(rt.seen))
	}
	for i := 0; i < len(rt.seen) && i < len(wantReqs); i++ {
		w, g := wantReqs[i], rt.seen[i]
		if g.method != str(get(w, "method")) || g.url != str(get(w, "url")) {
			fail("request %d: want %s %s, got %s %s", i, str(get(w, "method")), str(get(w, "url")), g.method, g.url)
		}
		if g.body != str(get(w, "body")) {
			fail("request %d body: want %s, got %s", i, str(get(w, "body")), g.body)
		}
		for _, h := range []string{"content-type", "accept", "authorization"} {
			if wh := str(get(w, "headers", h)); wh != g.header(h) {
				fail("request %d header %s: want %q, got %q", i, h, wh, g.header(h))
			}
		}
	}
	return problems
}

type mapCredentials map[string]string

func (m mapCredentials) Get(_ context.Context, key string) (string, error) { return m[key], nil }

type seenRequest struct {
	method, url, body string
	headers           http.Header
}

func (r seenRequest) header(name string) string {
	for k, v := range r.headers {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// mockTransport records each request and answers with the next mock response (200 and an
// empty body once they run out).
type mockTransport struct {
	responses outbound.Value
	seen      []seenRequest
}

func (m *mockTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	m.seen = append(m.seen, seenRequest{method: req.Method, url: req.URL.String(), body: string(body), headers: req.Header.Clone()})
	status, ctype, reply := 200, "", []byte{}
	if list, ok := m.responses.(*outbound.Array); ok && len(m.seen) <= len(list.Elems) {
		r := list.Elems[len(m.seen)-1]
		if s, ok := get(r, "status").(float64); ok {
			status = int(s)
		}
		ctype = str(get(r, "content_type"))
		if b := get(r, "body"); b != outbound.Undefined {
			if s, ok := b.(string); ok {
				reply = []byte(s)
			} else {
				reply = outbound.Stringify(b)
			}
		}
	}
	h := http.Header{}
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(reply)), Request: req}, nil
}
