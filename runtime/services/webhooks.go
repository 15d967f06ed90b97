package services

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"careflow/engine"
)

// Defaults for Config, as mailroom configures its webhooks (runtime.md §6).
const (
	DefaultWebhookTimeout = 15 * time.Second
	DefaultMaxRequest     = 256 * 1024
	DefaultMaxResponse    = 256 * 1024
	// maxDump is how much of each raw dump is kept, as in webhook_called events.
	maxDump = 10000
	// maxRedirects matches net/http's own limit, kept explicit since we replace its check.
	maxRedirects = 10
)

// Config holds what every workspace's webhooks share.
type Config struct {
	// Timeout bounds a whole call, redirects and body included; 0 means 15 s.
	Timeout time.Duration
	// MaxRequestBytes caps the raw request (line, headers, body); 0 means 256 KiB.
	MaxRequestBytes int
	// MaxResponseBytes caps the response body read; 0 means 256 KiB.
	MaxResponseBytes int
	// Version goes in the default User-Agent, careflow/<Version>, as mailroom sends
	// Mailroom/<major.minor>.
	Version string
	// Simulation sends X-Mailroom-Mode: simulation instead of normal (the editor's simulator).
	Simulation bool
	// Now stamps log records; nil means time.Now.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = DefaultWebhookTimeout
	}
	if c.MaxRequestBytes <= 0 {
		c.MaxRequestBytes = DefaultMaxRequest
	}
	if c.MaxResponseBytes <= 0 {
		c.MaxResponseBytes = DefaultMaxResponse
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Webhooks makes the engine's webhook and resthook calls for one workspace.
type Webhooks struct {
	policy    Policy
	cfg       Config
	log       CallLog
	transport http.RoundTripper
	// ctx and flowUUID come from Bind. The engine's Call takes no context, so, like
	// http.Request.WithContext, a bound copy carries one for the sprint it serves.
	ctx      context.Context
	flowUUID string
}

// NewWebhooks builds the webhook service for a workspace's policy. It is cheap: connection
// pools are shared by every workspace whose policy allows the same addresses. A nil log
// discards records.
func NewWebhooks(p Policy, c Config, log CallLog) *Webhooks {
	if log == nil {
		log = NopCallLog{}
	}
	return &Webhooks{policy: p, cfg: c.withDefaults(), log: log, transport: p.transport(), ctx: context.Background()}
}

// Bind returns a copy whose calls are cancelled with ctx and logged against flowUUID (empty
// when unknown). The runtime binds one per sprint so a shutdown aborts calls in flight.
func (w *Webhooks) Bind(ctx context.Context, flowUUID string) *Webhooks {
	c := *w
	c.ctx, c.flowUUID = ctx, flowUUID
	return &c
}

// Call makes one HTTP call and describes it. It never returns nil: a refused host gives a
// Blocked trace, a failure before a complete response a trace with status 0. It never retries,
// as current mailroom doesn't.
func (w *Webhooks) Call(req *engine.WebhookRequest) *engine.WebhookTrace {
	start := time.Now()
	t := &engine.WebhookTrace{ResponseLimit: w.cfg.MaxResponseBytes}
	full := w.call(req, t)
	t.ElapsedMS = int(time.Since(start).Milliseconds())
	t.RequestSize, t.ResponseSize = len(full.request), full.responseSize
	t.Request = engine.TruncateEllipsis(full.request, maxDump)
	t.Response = engine.TruncateEllipsis(full.response, maxDump)
	// The call happened even if the sprint is being cancelled, so its record must still land.
	w.log.LogHTTP(context.WithoutCancel(w.ctx), &HTTPLog{
		URL: req.URL, Method: req.Method, StatusCode: t.StatusCode,
		Request: t.Request, Response: t.Response, RequestSize: t.RequestSize, ResponseSize: t.ResponseSize,
		ElapsedMS: t.ElapsedMS, Retries: t.Retries, Blocked: t.Blocked, CreatedOn: w.cfg.Now(), FlowUUID: w.flowUUID,
		IsError: t.Blocked || t.BodyTooLarge || t.StatusCode < 200 || t.StatusCode > 299,
	})
	return t
}

// dumps are the untrimmed exchanges of the last hop.
type dumps struct {
	request, response string
	responseSize      int
}

func (w *Webhooks) call(req *engine.WebhookRequest, t *engine.WebhookTrace) dumps {
	var d dumps
	u, err := url.Parse(req.URL)
	if err != nil {
		return d
	}
	if w.policy.blocksHost(u.Hostname()) {
		t.Blocked = true
		return d
	}
	ctx, cancel := context.WithTimeout(w.ctx, w.cfg.Timeout)
	defer cancel()
	var body io.Reader
	if req.Body != "" {
		body = strings.NewReader(req.Body)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return d
	}
	w.setHeaders(hreq, req.Headers)
	d.request = dumpRequest(hreq, req.Body)
	if len(d.request) > w.cfg.MaxRequestBytes {
		return d
	}
	client := &http.Client{Transport: w.transport, CheckRedirect: func(next *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return errors.New("stopped after 10 redirects")
		}
		if w.policy.blocksHost(next.URL.Hostname()) {
			return errBlockedDomain
		}
		// A 307 or 308 sends the body again; other redirects drop it.
		nextBody := ""
		if next.ContentLength > 0 {
			nextBody = req.Body
		}
		d.request = dumpRequest(next, nextBody)
		return nil
	}}
	resp, err := client.Do(hreq)
	if err != nil {
		t.Blocked = isRefused(err)
		return d
	}
	defer resp.Body.Close()
	head := dumpResponseHead(resp)
	read, err := io.ReadAll(io.LimitReader(resp.Body, int64(w.cfg.MaxResponseBytes)+1))
	if err != nil {
		// A response cut short (timeout, reset) is no response: the flow sees a connection error.
		d.response, d.responseSize = head, len(head)+len(read)
		return d
	}
	t.StatusCode = resp.StatusCode
	t.Headers = make(map[string]string, len(resp.Header))
	for k, vs := range resp.Header {
		t.Headers[k] = strings.Join(vs, ", ")
	}
	if len(read) > w.cfg.MaxResponseBytes {
		t.BodyTooLarge = true
		d.response, d.responseSize = head, len(head)+len(read)
		if resp.ContentLength > int64(len(read)) {
			d.responseSize = len(head) + int(resp.ContentLength)
		}
		return d
	}
	t.Body = read
	d.response = head + string(read)
	d.responseSize = len(d.response)
	return d
}

// setHeaders applies the flow's headers, then the defaults mailroom adds when absent.
func (w *Webhooks) setHeaders(hreq *http.Request, headers [][2]string) {
	for _, h := range headers {
		if strings.EqualFold(h[0], "Host") {
			hreq.Host = h[1]
			continue
		}
		hreq.Header.Set(h[0], h[1])
	}
	// An explicit gzip would make the transport hand back the compressed body; left to
	// itself it asks for gzip and decompresses, so the flow sees JSON either way.
	if strings.EqualFold(hreq.Header.Get("Accept-Encoding"), "gzip") {
		hreq.Header.Del("Accept-Encoding")
	}
	if hreq.Header.Get("User-Agent") == "" {
		hreq.Header.Set("User-Agent", "careflow/"+w.cfg.Version)
	}
	if hreq.Header.Get("X-Mailroom-Mode") == "" {
		mode := "normal"
		if w.cfg.Simulation {
			mode = "simulation"
		}
		hreq.Header.Set("X-Mailroom-Mode", mode)
	}
}

// dumpRequest renders a request with its body as it goes on the wire (HTTP/1.1 form), as
// httputil.DumpRequestOut does: that one sends the request through a transport to an
// in-memory connection (goroutines, buffers, a copy of the body) and was a tenth of the
// allocations of a flow calling one webhook per session. The order is net/http's: request
// line, Host, User-Agent, Content-Length, the other headers sorted, then the Accept-Encoding
// the transport adds. Requests it does not model (a host needing punycode, CONNECT) go
// through DumpRequestOut.
func dumpRequest(r *http.Request, body string) string {
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	if r.Method == "CONNECT" || !isASCII(host) || !plainHeaders(r.Header) {
		// A copy with its own body: the request itself is about to be sent.
		c := r.Clone(r.Context())
		c.Body, c.GetBody = nil, nil
		if body != "" {
			c.Body = io.NopCloser(strings.NewReader(body))
		}
		b, err := httputil.DumpRequestOut(c, true)
		if err != nil {
			return r.Method + " " + r.URL.String() + "\r\n"
		}
		return string(b)
	}
	if i := strings.Index(host, "%"); i >= 0 && strings.HasPrefix(host, "[") {
		// An IPv6 zone is not sent.
		if j := strings.Index(host[i:], "]"); j >= 0 {
			host = host[:i] + host[i+j:]
		}
	}
	var b strings.Builder
	b.Grow(256 + len(body))
	b.WriteString(r.Method + " " + r.URL.RequestURI() + " HTTP/1.1\r\nHost: " + host + "\r\n")
	ua := "Go-http-client/1.1"
	if _, ok := r.Header["User-Agent"]; ok {
		ua = cleanHeaderValue(r.Header.Get("User-Agent"))
	}
	if ua != "" {
		b.WriteString("User-Agent: " + ua + "\r\n")
	}
	if body != "" || r.Method == "POST" || r.Method == "PUT" || r.Method == "PATCH" {
		b.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n")
	}
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		switch k {
		case "Host", "User-Agent", "Content-Length", "Transfer-Encoding", "Trailer":
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range r.Header[k] {
			b.WriteString(k + ": " + cleanHeaderValue(v) + "\r\n")
		}
	}
	if r.Header.Get("Accept-Encoding") == "" && r.Header.Get("Range") == "" && r.Method != "HEAD" {
		b.WriteString("Accept-Encoding: gzip\r\n")
	}
	b.WriteString("\r\n")
	b.WriteString(body)
	return b.String()
}

// cleanHeaderValue is a (valid) header value as net/http writes it: trimmed.
func cleanHeaderValue(v string) string {
	return strings.Trim(v, " \t")
}

// plainHeaders reports whether every header name is a token and no value holds a control
// character other than tab: net/http refuses to send anything else (and so does the dump).
func plainHeaders(h http.Header) bool {
	for k, vs := range h {
		if k == "" {
			return false
		}
		for i := 0; i < len(k); i++ {
			if c := k[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
				return false
			}
		}
		for _, v := range vs {
			for i := 0; i < len(v); i++ {
				if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
					return false
				}
			}
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// dumpResponseHead renders the status line and headers. It is built by hand because
// httputil.DumpResponse re-frames a response the transport decompressed (as chunked), which
// is not what was received.
func dumpResponseHead(resp *http.Response) string {
	var b strings.Builder
	b.WriteString(resp.Proto + " " + resp.Status + "\r\n")
	_ = resp.Header.Write(&b)
	b.WriteString("\r\n")
	return b.String()
}

var _ engine.Webhooks = (*Webhooks)(nil)
