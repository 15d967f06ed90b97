package enginetest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"careflow/engine"
)

// MockResponse is one canned HTTP response.
type MockResponse struct {
	Status     int               `json:"status"`
	Headers    map[string]string `json:"headers"`
	Body       json.RawMessage   `json:"body"`
	BodyRepeat int               `json:"body_repeat"`
}

// MockWebhooks answers webhook calls from URL patterns (exact, or with * at either end); when
// several match, the longest pattern wins. Each pattern has a queue of responses.
type MockWebhooks struct {
	mu             sync.Mutex
	mocks          map[string][]*MockResponse
	DefaultHeaders map[string]string
	BlockedHosts   []string
	MaxResponse    int
	Clock          engine.Clock
	// Unmatched records requests that had no mock (and no Fallback).
	Unmatched []string
	// Fallback, when set, answers requests no pattern matches.
	Fallback *MockResponse
}

// NewMockWebhooks reads the http_mocks object of a fixture (nil for none).
func NewMockWebhooks(raw json.RawMessage) (*MockWebhooks, error) {
	m := &MockWebhooks{mocks: map[string][]*MockResponse{}, DefaultHeaders: map[string]string{"User-Agent": "goflow-testing"},
		BlockedHosts: []string{"graph.facebook.com"}, MaxResponse: 100000}
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &m.mocks); err != nil {
			return nil, fmt.Errorf("read http mocks: %w", err)
		}
	}
	return m, nil
}

// Remaining lists patterns whose responses were not all used.
func (m *MockWebhooks) Remaining() []string {
	var out []string
	for k, v := range m.mocks {
		if len(v) > 0 {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func (m *MockWebhooks) match(u string) *MockResponse {
	best, bestLen := "", -1
	for p, q := range m.mocks {
		if len(q) == 0 {
			continue
		}
		core := strings.Trim(p, "*")
		ok := false
		switch {
		case strings.HasPrefix(p, "*") && strings.HasSuffix(p, "*") && len(p) > 1:
			ok = strings.Contains(u, core)
		case strings.HasPrefix(p, "*"):
			ok = strings.HasSuffix(u, core)
		case strings.HasSuffix(p, "*"):
			ok = strings.HasPrefix(u, core)
		default:
			ok = u == p
		}
		if ok && len(core) > bestLen {
			best, bestLen = p, len(core)
		}
	}
	if bestLen < 0 {
		return nil
	}
	r := m.mocks[best][0]
	m.mocks[best] = m.mocks[best][1:]
	return r
}

// Call answers a request.
func (m *MockWebhooks) Call(req *engine.WebhookRequest) *engine.WebhookTrace {
	m.mu.Lock()
	defer m.mu.Unlock()
	pu, _ := url.Parse(req.URL)
	host := ""
	if pu != nil {
		host = pu.Hostname()
	}
	for _, b := range m.BlockedHosts {
		if host == b {
			return &engine.WebhookTrace{Blocked: true}
		}
	}
	var start, end int64
	if m.Clock != nil {
		start = m.Clock.Now().UnixMilli()
	}
	t := &engine.WebhookTrace{ResponseLimit: m.MaxResponse}
	t.Request = dumpRequest(req, pu, m.DefaultHeaders)
	t.RequestSize = len(t.Request)
	resp := m.match(req.URL)
	if resp == nil && m.Fallback != nil {
		resp = m.Fallback
	} else if resp == nil {
		m.Unmatched = append(m.Unmatched, req.Method+" "+req.URL)
	}
	if m.Clock != nil {
		end = m.Clock.Now().UnixMilli()
	}
	t.ElapsedMS = int(end - start)
	if resp == nil || resp.Status == 0 {
		return t
	}
	body := string(resp.Body)
	var s string
	if json.Unmarshal(resp.Body, &s) == nil {
		body = s
	}
	if resp.BodyRepeat > 0 {
		body = strings.Repeat(body, resp.BodyRepeat)
	}
	t.StatusCode = resp.Status
	t.Headers = map[string]string{}
	for k, v := range resp.Headers {
		t.Headers[k] = v
	}
	head := fmt.Sprintf("HTTP/1.0 %d %s\r\nContent-Length: %d\r\n", resp.Status, statusText(resp.Status), len(body))
	keys := make([]string, 0, len(resp.Headers))
	for k := range resp.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		head += k + ": " + resp.Headers[k] + "\r\n"
	}
	head += "\r\n"
	if m.MaxResponse > 0 && len(body) > m.MaxResponse {
		t.BodyTooLarge = true
		t.Response = head
		t.ResponseSize = len(head) + len(body)
		return t
	}
	t.Body = []byte(body)
	t.Response = head + body
	t.ResponseSize = len(t.Response)
	return t
}

func dumpRequest(req *engine.WebhookRequest, u *url.URL, defaults map[string]string) string {
	path, host := "/", ""
	if u != nil {
		host = u.Host
		path = u.RequestURI()
	}
	var b strings.Builder
	b.WriteString(req.Method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n")
	headers := map[string]string{}
	for k, v := range defaults {
		headers[k] = v
	}
	for _, h := range req.Headers {
		headers[h[0]] = h[1]
	}
	if ua, ok := headers["User-Agent"]; ok {
		b.WriteString("User-Agent: " + ua + "\r\n")
		delete(headers, "User-Agent")
	}
	if req.Body != "" || req.Method == "POST" || req.Method == "PUT" || req.Method == "PATCH" {
		b.WriteString("Content-Length: " + strconv.Itoa(len(req.Body)) + "\r\n")
	}
	keys := make([]string, 0, len(headers))
	for k := range headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(k + ": " + headers[k] + "\r\n")
	}
	b.WriteString("Accept-Encoding: gzip\r\n\r\n")
	b.WriteString(req.Body)
	return b.String()
}

func statusText(code int) string {
	switch code {
	case 200:
		return "OK"
	case 201:
		return "Created"
	case 204:
		return "No Content"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 410:
		return "Gone"
	case 500:
		return "Internal Server Error"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	}
	return "Status"
}
