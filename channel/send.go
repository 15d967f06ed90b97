package channel

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"careflow/store"
)

// SendFunc delivers one message through a provider.
type SendFunc func(s *Send) Result

// Result is a provider's answer to one send.
type Result struct {
	// Status is wired (taken by the provider), sent, errored (retry later) or failed.
	Status     string
	ExternalID string
	Reason     string
	// StopContact: the provider says the contact opted out; the message fails and the
	// contact is stopped.
	StopContact bool
	// Throttled: the provider asked us to slow down; the message goes back to the outbox as is.
	Throttled bool
}

// Wired, Errored, Failed and Throttled build results.
func Wired(externalID string) Result { return Result{Status: store.MsgWired, ExternalID: externalID} }
func Errored(reason string) Result   { return Result{Status: store.MsgErrored, Reason: reason} }
func Failed(reason string) Result    { return Result{Status: store.MsgFailed, Reason: reason} }
func Throttle() Result               { return Result{Throttled: true} }

// Send is one message being sent, with what a type needs to send it.
type Send struct {
	Ctx     context.Context
	Type    *Type
	Channel *store.Channel
	Config  Config
	Msg     *store.Msg

	svc    *Service
	redact *strings.Replacer
}

// Attachment is an outgoing attachment: content type and URL.
type Attachment struct{ ContentType, URL string }

// Attachments splits the message's "type:url" attachments.
func (s *Send) Attachments() []Attachment {
	var out []Attachment
	for _, a := range s.Msg.Attachments {
		ct, u, ok := strings.Cut(a, ":")
		if !ok || !strings.Contains(ct, "/") {
			ct, u = "", a
		}
		out = append(out, Attachment{ContentType: ct, URL: u})
	}
	return out
}

// Path is the URN's path ("+250788123456" for tel:+250788123456).
func (s *Send) Path() string {
	_, p, _ := strings.Cut(s.Msg.URN, ":")
	return p
}

// TextFallback is the text with what the provider cannot carry folded in: attachment URLs
// (attachments false) and quick replies as lines (quickReplies false).
func (s *Send) TextFallback(attachments, quickReplies bool) string {
	text := s.Msg.Text
	if !attachments {
		for _, a := range s.Attachments() {
			text = joinNonEmpty(text, a.URL, "\n")
		}
	}
	if !quickReplies && len(s.Msg.QuickReplies) > 0 {
		text = joinNonEmpty(text, strings.Join(s.Msg.QuickReplies, "\n"), "\n\n")
	}
	return text
}

func joinNonEmpty(a, b, sep string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + sep + b
}

// Parts splits text into the channel's parts (config max_length, else the type's).
func (s *Send) Parts(text string) []string {
	return SplitText(text, s.Config.Int("max_length", s.Type.MaxLength))
}

// CallbackURL is the public URL of an action of this channel.
func (s *Send) CallbackURL(action string) string {
	base := strings.TrimRight(s.svc.PublicURL(), "/")
	if base == "" {
		return ""
	}
	return base + "/c/" + s.Type.Path + "/" + s.Channel.UUID + "/" + action
}

// maxLoggedBody bounds what a channel log keeps of one body.
const maxLoggedBody = 8 << 10

// maxProviderAnswer bounds what is read of a provider's answer.
const maxProviderAnswer = 1 << 20

// Do makes a request to the provider, logs it (secrets redacted) and returns the status and
// body of the answer. A transport failure is an error.
func (s *Send) Do(req *http.Request) (int, []byte, error) {
	var reqBody []byte
	if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(io.LimitReader(rc, maxLoggedBody))
			rc.Close()
		}
	}
	req = req.WithContext(s.Ctx)
	start := time.Now()
	resp, err := s.svc.Client.Do(req)
	l := &store.ChannelLog{WorkspaceID: s.Channel.WorkspaceID, ChannelUUID: s.Channel.UUID, MsgUUID: s.Msg.UUID,
		Type: "msg_send", Method: req.Method, URL: req.URL.String(), Request: dumpRequest(req, reqBody)}
	var body []byte
	if err == nil {
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxProviderAnswer))
		resp.Body.Close()
		l.StatusCode = resp.StatusCode
		l.Response = dumpResponse(resp, body)
	}
	if err != nil {
		l.Error = err.Error()
	}
	l.ElapsedMS = int(time.Since(start).Milliseconds())
	s.svc.addLog(s.redact, l)
	if err != nil {
		return 0, nil, err
	}
	return l.StatusCode, body, nil
}

// secretHeaders never reach a log.
var secretHeaders = map[string]bool{"Authorization": true, "Apikey": true, "X-Api-Key": true,
	"X-Twilio-Signature": true, "X-Hub-Signature-256": true, "X-Telegram-Bot-Api-Secret-Token": true}

func dumpHeaders(b *bytes.Buffer, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			if secretHeaders[http.CanonicalHeaderKey(k)] {
				v = "**********"
			}
			fmt.Fprintf(b, "%s: %s\n", k, v)
		}
	}
}

func dumpRequest(r *http.Request, body []byte) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s\n", r.Method, r.URL.RequestURI())
	dumpHeaders(&b, r.Header)
	b.WriteString("\n")
	b.Write(clip(body))
	return b.String()
}

func dumpResponse(r *http.Response, body []byte) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP %d\n", r.StatusCode)
	dumpHeaders(&b, r.Header)
	b.WriteString("\n")
	b.Write(clip(body))
	return b.String()
}

func clip(b []byte) []byte {
	if len(b) <= maxLoggedBody {
		return b
	}
	cut := maxLoggedBody
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return append(b[:cut:cut], "…"...)
}

var noRedaction = strings.NewReplacer()

// addLog queues a log for the writer; under a flood the oldest wins and the rest are dropped
// (logs are a window on the traffic, never a reason to slow it).
func (s *Service) addLog(r *strings.Replacer, l *store.ChannelLog) {
	if r == nil {
		r = noRedaction
	}
	l.URL, l.Request, l.Response, l.Error = r.Replace(l.URL), r.Replace(l.Request), r.Replace(l.Response), r.Replace(l.Error)
	if l.CreatedOn.IsZero() {
		l.CreatedOn = time.Now()
	}
	select {
	case s.logs <- l:
	default:
	}
}

// writeLogs stores queued logs in batches until ctx ends.
func (s *Service) writeLogs(ctx context.Context) {
	for {
		var batch []*store.ChannelLog
		select {
		case <-ctx.Done():
			return
		case l := <-s.logs:
			batch = append(batch, l)
		}
	more:
		for len(batch) < 1000 {
			select {
			case l := <-s.logs:
				batch = append(batch, l)
			default:
				break more
			}
		}
		if err := s.Store.AddChannelLogs(context.WithoutCancel(ctx), batch); err != nil {
			s.Log.Warn("storing channel logs", "error", err, "count", len(batch))
		}
		if len(batch) < 1000 {
			timer := time.NewTimer(200 * time.Millisecond)
			select {
			case <-ctx.Done():
			case <-timer.C:
			}
			timer.Stop()
		}
	}
}

// FlushLogs writes what is queued now (tests and shutdown).
func (s *Service) FlushLogs(ctx context.Context) error {
	var batch []*store.ChannelLog
	for {
		select {
		case l := <-s.logs:
			batch = append(batch, l)
			continue
		default:
		}
		break
	}
	return s.Store.AddChannelLogs(ctx, batch)
}

// sentGuard remembers, for two hours, answers this node got but could not commit, so a
// message claimed again is recorded instead of sent again.
type sentGuard struct {
	mu sync.Mutex
	m  map[int64]guarded
}

type guarded struct {
	res  Result
	when time.Time
}

func newSentGuard() *sentGuard { return &sentGuard{m: map[int64]guarded{}} }

func (g *sentGuard) get(id int64) (Result, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	e, ok := g.m[id]
	if !ok || time.Since(e.when) > 2*time.Hour {
		delete(g.m, id)
		return Result{}, false
	}
	return e.res, true
}

func (g *sentGuard) remember(updates []store.MsgStatusUpdate, results []Result, msgs []*store.Msg) {
	g.mu.Lock()
	defer g.mu.Unlock()
	byID := map[int64]Result{}
	for i, m := range msgs {
		byID[m.ID] = results[i]
	}
	for _, u := range updates {
		if r := byID[u.ID]; r.Status != store.MsgErrored {
			g.m[u.ID] = guarded{res: r, when: time.Now()}
		}
	}
}

func (g *sentGuard) forget(updates []store.MsgStatusUpdate) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.m) == 0 {
		return
	}
	for _, u := range updates {
		delete(g.m, u.ID)
	}
}
