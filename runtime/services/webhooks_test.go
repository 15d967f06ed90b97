package services

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"careflow/engine"
)

// recordingLog keeps every record for assertions.
type recordingLog struct {
	mu   sync.Mutex
	logs []*HTTPLog
}

func (l *recordingLog) LogHTTP(_ context.Context, h *HTTPLog) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.logs = append(l.logs, h)
}

func (l *recordingLog) only(t *testing.T) *HTTPLog {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.logs) != 1 {
		t.Fatalf("want 1 log record, got %d", len(l.logs))
	}
	return l.logs[0]
}

// loopback allows the test servers, which listen on 127.0.0.1.
var loopback = Policy{AllowedNets: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}

// testServer counts requests so tests can prove a refused call never arrived.
type testServer struct {
	*httptest.Server
	hits atomic.Int32
}

func newServer(t *testing.T, h http.HandlerFunc) *testServer {
	t.Helper()
	s := &testServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func port(t *testing.T, s *testServer) string {
	t.Helper()
	u, _ := url.Parse(s.URL)
	return u.Port()
}

func TestWebhookCall(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo-UA", r.Header.Get("User-Agent"))
		w.Header().Set("X-Echo-Mode", r.Header.Get("X-Mailroom-Mode"))
		w.Header().Set("X-Echo-Token", r.Header.Get("Authorization"))
		w.WriteHeader(201)
		fmt.Fprintf(w, `{"got":%q}`, string(b))
	})
	log := &recordingLog{}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	w := NewWebhooks(loopback, Config{Version: "1.2", Now: func() time.Time { return now }}, log).Bind(t.Context(), "flow-1")

	tr := w.Call(&engine.WebhookRequest{Method: "POST", URL: srv.URL + "/hook?x=1", Body: `hi`,
		Headers: [][2]string{{"Authorization", "Token abc"}, {"Content-Type", "text/plain"}}})

	if tr.StatusCode != 201 || tr.Blocked || tr.BodyTooLarge || string(tr.Body) != `{"got":"hi"}` {
		t.Fatalf("unexpected trace: %+v", tr)
	}
	if tr.Headers["X-Echo-Ua"] != "careflow/1.2" || tr.Headers["X-Echo-Mode"] != "normal" || tr.Headers["X-Echo-Token"] != "Token abc" {
		t.Errorf("headers not sent as expected: %v", tr.Headers)
	}
	for _, want := range []string{"POST /hook?x=1 HTTP/1.1\r\n", "User-Agent: careflow/1.2\r\n", "X-Mailroom-Mode: normal\r\n",
		"Authorization: Token abc\r\n", "Content-Length: 2\r\n", "\r\n\r\nhi"} {
		if !strings.Contains(tr.Request, want) {
			t.Errorf("request dump lacks %q:\n%s", want, tr.Request)
		}
	}
	if !strings.HasPrefix(tr.Response, "HTTP/1.1 201 Created\r\n") || !strings.HasSuffix(tr.Response, "\r\n\r\n"+`{"got":"hi"}`) {
		t.Errorf("unexpected response dump:\n%s", tr.Response)
	}
	if tr.RequestSize != len(tr.Request) || tr.ResponseSize != len(tr.Response) || tr.Retries != 0 || tr.ResponseLimit != DefaultMaxResponse {
		t.Errorf("unexpected sizes: %+v", tr)
	}
	l := log.only(t)
	if l.URL != srv.URL+"/hook?x=1" || l.Method != "POST" || l.StatusCode != 201 || l.IsError || l.Blocked ||
		l.FlowUUID != "flow-1" || !l.CreatedOn.Equal(now) || l.Request != tr.Request || l.Response != tr.Response {
		t.Errorf("unexpected log: %+v", l)
	}
}

func TestWebhookHeaders(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s|%s|%s", r.Header.Get("User-Agent"), r.Header.Get("X-Mailroom-Mode"), r.Host)
	})
	cases := []struct {
		name    string
		cfg     Config
		headers [][2]string
		want    string
	}{
		{"DefaultsWhenAbsent", Config{}, nil, "careflow/dev|normal|" + srv.Listener.Addr().String()},
		{"SimulationMode", Config{Simulation: true}, nil, "careflow/dev|simulation|" + srv.Listener.Addr().String()},
		{"FlowHeadersWin", Config{}, [][2]string{{"user-agent", "mine"}, {"X-Mailroom-Mode", "custom"}, {"Host", "virtual.test"}}, "mine|custom|virtual.test"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewWebhooks(loopback, tc.cfg, nil).Call(&engine.WebhookRequest{Method: "GET", URL: srv.URL, Headers: tc.headers})
			if string(tr.Body) != tc.want {
				t.Errorf("got %q, want %q", tr.Body, tc.want)
			}
		})
	}
}

func TestWebhookGzipIsDecoded(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			io.WriteString(w, "plain")
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		gz := gzip.NewWriter(w)
		io.WriteString(gz, `{"zipped":true}`)
		gz.Close()
	})
	tr := NewWebhooks(loopback, Config{}, nil).Call(&engine.WebhookRequest{Method: "GET", URL: srv.URL,
		Headers: [][2]string{{"Accept-Encoding", "gzip"}}})
	if string(tr.Body) != `{"zipped":true}` {
		t.Errorf("body not decompressed: %q", tr.Body)
	}
}

func TestWebhookErrorStatusIsLoggedAsError(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	log := &recordingLog{}
	tr := NewWebhooks(loopback, Config{}, log).Call(&engine.WebhookRequest{Method: "GET", URL: srv.URL})
	if tr.StatusCode != 500 || !log.only(t).IsError {
		t.Errorf("want a 500 logged as error, got %+v", tr)
	}
}

func TestWebhookRefusesPrivateAddresses(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "reached") })
	p := port(t, srv)
	cases := []struct {
		name   string
		policy Policy
		url    string
	}{
		{"IPLiteral", Policy{}, "http://127.0.0.1:" + p + "/"},
		{"NameResolvingToLoopback", Policy{}, "http://localhost:" + p + "/"},
		{"IPv6Loopback", Policy{}, "http://[::1]:" + p + "/"},
		{"OtherNetAllowedOnly", Policy{AllowedNets: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}, "http://127.0.0.1:" + p + "/"},
		{"OtherHostAllowedOnly", Policy{AllowedHosts: []string{"intranet.test"}}, "http://localhost:" + p + "/"},
		{"BlockedDomain", Policy{AllowPrivate: true, BlockedDomains: []string{"localhost"}}, "http://localhost:" + p + "/"},
		{"BlockedSubdomainFQDN", Policy{BlockedDomains: []string{"Blocked.Example"}}, "https://api.blocked.example./send"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			log := &recordingLog{}
			tr := NewWebhooks(tc.policy, Config{}, log).Call(&engine.WebhookRequest{Method: "GET", URL: tc.url})
			if !tr.Blocked || tr.StatusCode != 0 {
				t.Errorf("want blocked, got %+v", tr)
			}
			if l := log.only(t); !l.Blocked || !l.IsError {
				t.Errorf("want a blocked error record, got %+v", l)
			}
		})
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("%d refused requests reached the server", n)
	}
}

func TestWebhookAllowList(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "reached") })
	p := port(t, srv)
	cases := []struct {
		name   string
		policy Policy
		url    string
	}{
		{"AllowPrivate", Policy{AllowPrivate: true}, "http://localhost:" + p + "/"},
		{"AllowedNet", Policy{AllowedNets: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}}, "http://localhost:" + p + "/"},
		{"AllowedHost", Policy{AllowedHosts: []string{"LOCALHOST"}}, "http://localhost:" + p + "/"},
		// localhost may also resolve to ::1, which stays refused: the allowed address is dialled.
		{"AllowedNetForOneOfTheAddresses", Policy{AllowedNets: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}, "http://localhost:" + p + "/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewWebhooks(tc.policy, Config{}, nil).Call(&engine.WebhookRequest{Method: "GET", URL: tc.url})
			if tr.Blocked || tr.StatusCode != 200 || string(tr.Body) != "reached" {
				t.Errorf("want the call made, got %+v", tr)
			}
		})
	}
}

func TestWebhookRedirects(t *testing.T) {
	t.Parallel()
	var targetHits atomic.Int32
	var srv *testServer
	srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-localhost":
			http.Redirect(w, r, "http://localhost:"+port(t, srv)+"/target", http.StatusFound)
		case "/to-blocked":
			http.Redirect(w, r, "http://evil.blocked.test/target", http.StatusFound)
		case "/to-same":
			http.Redirect(w, r, "/target", http.StatusTemporaryRedirect)
		case "/target":
			targetHits.Add(1)
			b, _ := io.ReadAll(r.Body)
			io.WriteString(w, "target:"+string(b))
		}
	})
	// Only the literal 127.0.0.1 is allowed, so a hop to localhost must be checked again.
	policy := Policy{AllowedHosts: []string{"127.0.0.1"}, BlockedDomains: []string{"blocked.test"}}
	w := NewWebhooks(policy, Config{}, nil)

	for _, path := range []string{"/to-localhost", "/to-blocked"} {
		if tr := w.Call(&engine.WebhookRequest{Method: "GET", URL: srv.URL + path}); !tr.Blocked {
			t.Errorf("%s: want blocked, got %+v", path, tr)
		}
	}
	if n := targetHits.Load(); n != 0 {
		t.Fatalf("a refused redirect reached its target %d times", n)
	}

	tr := w.Call(&engine.WebhookRequest{Method: "POST", URL: srv.URL + "/to-same", Body: "b"})
	if tr.Blocked || tr.StatusCode != 200 || string(tr.Body) != "target:b" || !strings.HasPrefix(tr.Request, "POST /target HTTP/1.1") {
		t.Errorf("want the allowed redirect followed with the last hop dumped, got %+v", tr)
	}
}

func TestWebhookTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // runs before srv.Close, so no handler is left blocking it
	log := &recordingLog{}
	tr := NewWebhooks(loopback, Config{Timeout: 100 * time.Millisecond}, log).Call(&engine.WebhookRequest{Method: "GET", URL: srv.URL})
	if tr.StatusCode != 0 || tr.Blocked || tr.ElapsedMS < 100 || tr.Request == "" || tr.Response != "" {
		t.Errorf("want a timed-out connection error, got %+v", tr)
	}
	if !log.only(t).IsError {
		t.Error("timeout not logged as error")
	}
}

func TestWebhookCancelledByBoundContext(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "reached") })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	tr := NewWebhooks(loopback, Config{}, nil).Bind(ctx, "").Call(&engine.WebhookRequest{Method: "GET", URL: srv.URL})
	if tr.StatusCode != 0 || srv.hits.Load() != 0 {
		t.Errorf("want no call once the sprint's context is done, got %+v", tr)
	}
}

func TestWebhookResponseCap(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, strings.Repeat("x", 2000)) })
	tr := NewWebhooks(loopback, Config{MaxResponseBytes: 1000}, nil).Call(&engine.WebhookRequest{Method: "GET", URL: srv.URL})
	if !tr.BodyTooLarge || tr.Body != nil || tr.ResponseLimit != 1000 || tr.StatusCode != 200 {
		t.Errorf("want body too large, got %+v", tr)
	}
	if tr.ResponseSize < 2000 || strings.Contains(tr.Response, "xxx") {
		t.Errorf("want the head only with the full size, got size %d:\n%s", tr.ResponseSize, tr.Response)
	}
}

func TestWebhookRequestCap(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	tr := NewWebhooks(loopback, Config{MaxRequestBytes: 1000}, nil).Call(&engine.WebhookRequest{Method: "POST", URL: srv.URL, Body: strings.Repeat("y", 2000)})
	if tr.StatusCode != 0 || tr.RequestSize <= 2000 || srv.hits.Load() != 0 {
		t.Errorf("want an oversized request refused unsent, got %+v", tr)
	}
}

func TestWebhookDumpsAreTrimmed(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, strings.Repeat("é", 20000)) })
	tr := NewWebhooks(loopback, Config{}, nil).Call(&engine.WebhookRequest{Method: "POST", URL: srv.URL, Body: strings.Repeat("z", 20000)})
	for name, s := range map[string]string{"request": tr.Request, "response": tr.Response} {
		if n := len([]rune(s)); n != maxDump || !strings.HasSuffix(s, "...") {
			t.Errorf("%s dump is %d chars, want %d ending in ...", name, n, maxDump)
		}
	}
	if tr.RequestSize <= 20000 || tr.ResponseSize <= 40000 || len(tr.Body) != 40000 {
		t.Errorf("sizes should be untrimmed: %d, %d, body %d", tr.RequestSize, tr.ResponseSize, len(tr.Body))
	}
}

func TestWebhookConnectionError(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	u := srv.URL
	srv.Close() // nothing listens on the port any more
	tr := NewWebhooks(loopback, Config{}, nil).Call(&engine.WebhookRequest{Method: "GET", URL: u})
	if tr.StatusCode != 0 || tr.Blocked {
		t.Errorf("want a connection error, got %+v", tr)
	}
}

func TestPolicyAddresses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		addr    string
		allowed bool
	}{
		{"8.8.8.8", true}, {"2001:4860:4860::8888", true}, {"100.128.0.1", true}, {"172.32.0.1", true},
		{"0.0.0.0", false}, {"0.1.2.3", false}, {"10.1.2.3", false}, {"100.64.0.1", false}, {"127.0.0.2", false},
		{"169.254.169.254", false}, {"172.16.5.4", false}, {"192.168.1.1", false}, {"224.0.0.1", false},
		{"255.255.255.255", false}, {"::", false}, {"::1", false}, {"fe80::1%eth0", false}, {"fd00::1", false},
		{"fc00::1", false}, {"ff02::1", false}, {"::ffff:127.0.0.1", false}, {"::ffff:10.0.0.1", false},
		{"64:ff9b::a00:1", false}, {"64:ff9b::808:808", true},
	}
	var p Policy
	for _, tc := range cases {
		if got := p.allowsAddr(netip.MustParseAddr(tc.addr)); got != tc.allowed {
			t.Errorf("%s: allowed=%t, want %t", tc.addr, got, tc.allowed)
		}
	}
	open := Policy{AllowPrivate: true}
	if !open.allowsAddr(netip.MustParseAddr("10.0.0.1")) {
		t.Error("AllowPrivate should allow 10.0.0.1")
	}
}

func TestPoliciesShareTransportsOnlyWhenEquivalent(t *testing.T) {
	t.Parallel()
	a := Policy{AllowedHosts: []string{"b.test", "A.test."}, BlockedDomains: []string{"x.test"}}
	b := Policy{AllowedHosts: []string{"a.test", "b.test"}}
	if a.transport() != b.transport() {
		t.Error("policies allowing the same addresses should share a pool")
	}
	if a.transport() == (&Policy{}).transport() {
		t.Error("a custom allow-list must not share the default pool")
	}
}
