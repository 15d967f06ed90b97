package server_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"careflow/server"
)

// send makes one request as user ("" anonymous, "admin", or "rapidpro" the gateway) with a
// JSON body and returns the status, answer and headers.
func (e *e2e) send(method, path, user string, body io.Reader) (int, string, http.Header) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.base+path, body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	switch user {
	case "admin":
		req.SetBasicAuth("admin", e.password)
	case "rapidpro":
		req.SetBasicAuth("rapidpro", gatewayPassword)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

const gatewayPassword = "Tq9!vRapid-Pro-2026"

func addGateway(t *testing.T, srv *server.Server) {
	t.Helper()
	if err := srv.Users.CreateDirect(context.Background(), "rapidpro", gatewayPassword, []string{"gateway", "mm-online"}); err != nil {
		t.Fatal(err)
	}
}

// repeatReader yields n bytes of a repeated pattern without holding them, so the test's own
// memory does not count in the server's.
type repeatReader struct {
	head    string
	pattern byte
	n       int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	i := 0
	for ; i < len(p) && r.n > 0; i++ {
		if r.head != "" {
			p[i], r.head = r.head[0], r.head[1:]
		} else {
			p[i] = r.pattern
		}
		r.n--
	}
	return i, nil
}

// TestSessionBodyMemoryCeiling: POST /_session is open to anyone, so its body is bounded
// before anything is checked. 20 parallel 31 MB login bodies once took the process to 1.6 GB;
// the server now allocates a few megabytes for them in all.
func TestSessionBodyMemoryCeiling(t *testing.T) {
	e, _ := startServerWith(t, "", nil, io.Discard)
	const parallel, size = 20, 31 << 20
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", e.base+"/_session", &repeatReader{head: `{"name":"`, pattern: 'a', n: size})
			req.ContentLength = size
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return // the server may close the connection on a body it will not read
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("oversized login: %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Fatalf("%d oversized logins allocated %d MB", parallel, grew>>20)
	} else {
		t.Logf("%d parallel %d MB login bodies allocated %.1f MB in all", parallel, size>>20, float64(grew)/(1<<20))
	}
	// A body just over the limit is read to its end and answered with a 413 in CouchDB's shape.
	st, body, _ := e.send("POST", "/_session", "", strings.NewReader(`{"name":"`+strings.Repeat("a", 20<<10)+`"}`))
	if st != http.StatusRequestEntityTooLarge || !strings.Contains(body, `"error":"too_large"`) {
		t.Fatalf("login over the limit: %d %s", st, body)
	}
}

// TestDeepJSONRefusedQuickly: deeply nested bodies once cost quadratic time (records at depth
// 50,000: 30 s; settings at depth 100,000: 110 s and +345 MB). Every JSON route now refuses
// them at the 101st level, while reading, in milliseconds.
func TestDeepJSONRefusedQuickly(t *testing.T) {
	e, srv := startServerWith(t, "", nil, io.Discard)
	addGateway(t, srv)
	nested := func(prefix string, depth int) string {
		return prefix + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "}"
	}
	cases := []struct {
		name, method, path, user, body string
	}{
		{"Records", "POST", "/api/v2/records", "rapidpro", nested(`{"_meta":{"form":"V"},"a":`, 50_000)},
		{"Settings", "PUT", "/api/v1/settings", "admin", nested(`{"a":`, 100_000)},
		{"People", "POST", "/api/v1/people", "admin", nested(`{"name":"x","a":`, 100_000)},
		{"Users", "POST", "/api/v1/users", "admin", nested(`{"username":"x","a":`, 100_000)},
		{"BulkDocs", "POST", "/medic/_bulk_docs", "rapidpro", nested(`{"docs":`, 100_000)},
		{"PutDoc", "PUT", "/medic/deep", "rapidpro", nested(`{"a":`, 100_000)},
		{"ContactsByPhone", "POST", "/api/v1/contacts-by-phone", "rapidpro", nested(`{"phone":`, 100_000)},
		{"Session", "POST", "/_session", "", nested(`{"name":`, 5_000)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			st, body, _ := e.send(tc.method, tc.path, tc.user, strings.NewReader(tc.body))
			took := time.Since(start)
			if st != http.StatusBadRequest || !strings.Contains(body, "JSON nesting deeper than 100 levels at offset") {
				t.Fatalf("%d %s", st, body)
			}
			if took > 500*time.Millisecond {
				t.Fatalf("took %v", took)
			}
		})
	}
}

// TestSlowBodyTimesOut: a client that sends headers and then trickles (or stops sending) its
// body is cut off after the read timeout instead of holding the connection open.
func TestSlowBodyTimesOut(t *testing.T) {
	e, _ := startServerWith(t, "", map[string]string{server.OptionReadTimeout: "300ms"}, io.Discard)
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	io.WriteString(conn, "POST /_session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(conn); err != nil {
		t.Fatalf("connection still open after %v: %v", time.Since(start), err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("closed after %v", took)
	}
}

// TestRequestLog: one info line per request, with method, path, status, duration and user;
// never the body, and never a huge line from a huge bad input.
func TestRequestLog(t *testing.T) {
	var logs syncBuffer
	e, srv := startServerWith(t, "", nil, &logs)
	addGateway(t, srv)
	st, _, _ := e.send("POST", "/_session", "", strings.NewReader(`{"name":"rapidpro","password":"`+gatewayPassword+`"}`))
	if st != 200 {
		t.Fatalf("login: %d", st)
	}
	e.send("POST", "/api/v2/records", "rapidpro", strings.NewReader(`{"_meta":{"form":"`+strings.Repeat("X", 1<<20)+`"}}`))
	e.send("GET", "/api/v1/settings", "", nil)
	text := logs.String()
	for _, want := range []string{
		`msg=request method=POST path=/_session status=200 duration=`,
		`msg=request method=POST path=/api/v2/records status=500 duration=`,
		`msg=request method=GET path=/api/v1/settings status=401 duration=`,
	} {
		if !strings.Contains(text, want) {
			t.Fatalf("no %q in the log:\n%s", want, text)
		}
	}
	if !strings.Contains(text, `path=/_session status=200 duration=`) || !strings.Contains(text, "user=rapidpro") {
		t.Fatalf("login line without its user:\n%s", text)
	}
	if strings.Contains(text, gatewayPassword) {
		t.Fatal("a body reached the log")
	}
	for _, line := range strings.Split(text, "\n") {
		if len(line) > 2000 {
			t.Fatalf("a %d-byte log line: %.200s…", len(line), line)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
