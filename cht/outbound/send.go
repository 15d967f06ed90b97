package outbound

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"careflow/secret"
)

// Credentials gives the plain value of a credential; a missing one is ("", nil) or an error
// wrapping a not-found sentinel the caller's store uses — either way the push fails with CHT's
// "have not been configured" text.
type Credentials interface {
	Get(ctx context.Context, key string) (string, error)
}

// Sender POSTs payloads as CHT's outbound.js does (§1.5–1.6).
type Sender struct {
	// Client makes the requests; its redirect policy is replaced by fetch's (20 hops).
	Client *http.Client
	// Credentials is read on every send (no caching), so a changed secret applies at once.
	Credentials Credentials
	// Timeout bounds the whole exchange (default 10 s); muso-sih login has its own.
	Timeout time.Duration
	// UserAgent is sent on every request; empty sends none.
	UserAgent string
}

// DefaultUserAgent is CHT's form, so receivers that look at it see what they always saw.
var DefaultUserAgent = "Community Health Toolkit/5.2.0 (" + runtime.GOOS + "," + nodeArch() + ")"

func nodeArch() string {
	switch runtime.GOARCH {
	case "amd64":
		return "x64"
	case "386":
		return "ia32"
	}
	return runtime.GOARCH
}

// NewSender returns a sender with CHT's defaults. Its client keeps enough idle connections
// per destination for the lanes' concurrent requests (Go's default keeps two, so busier lanes
// would open a new connection for most requests).
func NewSender(creds Credentials) *Sender {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &Sender{Client: &http.Client{Transport: tr}, Credentials: creds, Timeout: 10 * time.Second, UserAgent: DefaultUserAgent}
}

// IdempotencyHeader carries IdempotencyKey on every push (lower-case on the wire, like the
// other headers CHT sends); careflow's own receivers honour it (internal/idempotency).
const IdempotencyHeader = "idempotency-key"

// Send authenticates as the destination says and POSTs body to urlJoin(base_url, path).
// It returns the final HTTP status (0 when no response) and an error for anything but success.
func (s *Sender) Send(ctx context.Context, destination Value, body []byte) (int, error) {
	return s.SendKeyed(ctx, destination, body, "")
}

// SendKeyed is Send with an idempotency key header (none when key is empty).
func (s *Sender) SendKeyed(ctx context.Context, destination Value, body []byte, key string) (int, error) {
	url, err := URLJoin(member(destination, "base_url"), member(destination, "path"))
	if err != nil {
		return 0, err
	}
	return s.sendTo(ctx, url, destination, body, key)
}

// sendTo is SendKeyed with the destination's URL already joined.
func (s *Sender) sendTo(ctx context.Context, url string, destination Value, body []byte, key string) (int, error) {
	headers := map[string]string{"content-type": "application/json", "accept": "application/json"}
	if key != "" {
		headers[IdempotencyHeader] = key
	}
	if auth := member(destination, "auth"); truthy(auth) {
		typ := member(auth, "type")
		if !truthy(typ) {
			return 0, errors.New("No auth.type, either declare the type or omit the auth property")
		}
		switch strings.ToLower(jsString(typ)) {
		case "basic":
			pw, err := s.credential(ctx, member(auth, "password_key"))
			if err != nil {
				return 0, err
			}
			headers["authorization"] = "Basic " + base64.StdEncoding.EncodeToString([]byte(jsString(member(auth, "username"))+":"+pw))
		case "header":
			name := jsString(member(auth, "name"))
			if !strings.EqualFold(name, "authorization") {
				return 0, fmt.Errorf("Unsupported header name '%s'. Supported: authorization", name)
			}
			v, err := s.credential(ctx, member(auth, "value_key"))
			if err != nil {
				return 0, err
			}
			headers["authorization"] = v
		case "muso-sih":
			token, status, err := s.musoLogin(ctx, destination, auth)
			if err != nil {
				return status, err
			}
			sep := "?"
			if strings.Contains(url, "?") {
				sep = "&"
			}
			url += sep + "token=" + formEscape(token)
		default:
			return 0, fmt.Errorf("Invalid auth type '%s'. Supported: basic, header, muso-sih", jsString(typ))
		}
	}
	status, _, err := s.post(ctx, url, headers, body)
	return status, err
}

func (s *Sender) credential(ctx context.Context, key Value) (string, error) {
	k := jsString(key)
	notConfigured := fmt.Errorf("Credentials for '%s' have not been configured. See the Outbound documentation.", k)
	if s.Credentials == nil {
		return "", notConfigured
	}
	v, err := s.Credentials.Get(ctx, k)
	if errors.Is(err, secret.ErrWrongKey) {
		return "", err // set, but sealed with another node's key: say so, not "not configured"
	}
	if err != nil || v == "" {
		return "", notConfigured
	}
	return v, nil
}

// musoLogin is the muso-sih handshake: a form POST whose JSON reply must say statut 200.
func (s *Sender) musoLogin(ctx context.Context, destination, auth Value) (string, int, error) {
	pw, err := s.credential(ctx, member(auth, "password_key"))
	if err != nil {
		return "", 0, err
	}
	url, err := URLJoin(member(destination, "base_url"), member(auth, "path"))
	if err != nil {
		return "", 0, err
	}
	form := "login=" + formEscape(jsString(member(auth, "username"))) + "&password=" + formEscape(pw)
	status, reply, err := s.post(ctx, url, map[string]string{"content-type": "application/x-www-form-urlencoded", "accept": "application/json"}, []byte(form))
	if err != nil {
		return "", status, err
	}
	var r struct {
		Statut any `json:"statut"`
		Data   struct {
			Token any `json:"username_token"`
		} `json:"data"`
	}
	if err := json.Unmarshal(reply, &r); err != nil {
		return "", status, fmt.Errorf("muso-sih login: reply is not JSON")
	}
	if f, ok := r.Statut.(float64); !ok || f != 200 {
		st := "undefined"
		if r.Statut != nil {
			b, _ := json.Marshal(r.Statut)
			st = strings.Trim(string(b), `"`)
		}
		return "", status, fmt.Errorf("Got %s when requesting auth", st)
	}
	return fmt.Sprint(r.Data.Token), status, nil
}

// formEscape is URLSearchParams' encoding: alphanumerics and *-._ kept, space as +.
func formEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '*', c == '-', c == '.', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func (s *Sender) timeout() time.Duration {
	if s == nil || s.Timeout <= 0 {
		return 10 * time.Second
	}
	return s.Timeout
}

// post makes one exchange and applies CHT's success rule: 2xx, or 301–398 (a redirect fetch
// did not follow). It returns the status and the response body.
func (s *Sender) post(ctx context.Context, target string, headers map[string]string, body []byte) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	for k, v := range headers {
		req.Header[k] = []string{v} // lower-case on the wire, as CHT sends them
	}
	if s.UserAgent != "" {
		req.Header["user-agent"] = []string{s.UserAgent}
	} else {
		req.Header["User-Agent"] = []string{""}
	}
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	c := *client
	c.CheckRedirect = func(_ *http.Request, via []*http.Request) error {
		if len(via) >= 20 {
			return errors.New("redirect count exceeded")
		}
		return nil
	}
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = redactURL(ue.URL) // a muso-sih token rides in the query
		}
		return 0, nil, err
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, nil, err
	}
	st := resp.StatusCode
	if (st >= 200 && st <= 299) || (st >= 301 && st <= 398) {
		return st, reply, nil
	}
	serr := &StatusError{Status: st, Body: sanitise(reply, resp.Header.Get("Content-Type"))}
	if st == http.StatusTooManyRequests || st == http.StatusServiceUnavailable {
		if secs, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && secs > 0 {
			return st, reply, RetryAfter(time.Duration(secs)*time.Second, serr)
		}
	}
	return st, reply, serr
}

// redactURL drops a URL's query, which may carry a token, from error texts and logs.
func redactURL(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i] + "?…"
	}
	return u
}

var secretKeys = map[string]bool{"password": true, "auth": true, "authorization": true, "key": true, "secret": true, "token": true, "username": true, "user": true, "pass": true}

var secretFragment = regexp.MustCompile(`(?i)(password|pass|token|secret|key|auth|authorization|user|username)=[^&\s]*&?`)

// sanitise renders a failure body as CHT's error text does: JSON bodies without their secret
// keys, text bodies without key=value secrets, as JSON.
func sanitise(body []byte, contentType string) string {
	if strings.HasPrefix(contentType, "application/json") {
		if v, err := ParseJSON(body); err == nil {
			if o, ok := v.(*Object); ok {
				clean := NewObject()
				for _, k := range o.keys {
					if !secretKeys[strings.ToLower(k)] {
						clean.Set(k, o.vals[k])
					}
				}
				v = clean
			}
			return string(Stringify(v))
		}
	}
	return string(Stringify(secretFragment.ReplaceAllString(string(body), "")))
}
