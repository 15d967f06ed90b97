package channel

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"careflow/runtime"
	"careflow/store"
)

// ReceiveFunc handles one provider request to /c/<type>/<uuid>/<action>.
type ReceiveFunc func(q *Request)

// maxProviderBody bounds what a provider may post to one endpoint.
const maxProviderBody = 1 << 20

// Request is one provider request, with the channel it is for.
type Request struct {
	W       http.ResponseWriter
	R       *http.Request
	Type    *Type
	Channel *store.Channel
	Config  Config

	svc     *Service
	rec     *recorder
	body    []byte
	bodyErr error
	logType string
	msgUUID string
}

type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if r.buf.Len() < maxLoggedBody {
		r.buf.Write(b)
	}
	return r.ResponseWriter.Write(b)
}

func newRequest(s *Service, t *Type, ch *store.Channel, cfg Config, w http.ResponseWriter, r *http.Request) *Request {
	rec := &recorder{ResponseWriter: w}
	q := &Request{W: rec, R: r, Type: t, Channel: ch, Config: cfg, svc: s, rec: rec, logType: "msg_receive"}
	r.Body = http.MaxBytesReader(rec, r.Body, maxProviderBody)
	q.body, q.bodyErr = io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(q.body))
	return q
}

// Body is the raw request body; an oversize body has already been refused.
func (q *Request) Body() []byte { return q.body }

// BodyOK answers 413 and reports false when the body was too large or unreadable.
func (q *Request) BodyOK() bool {
	if q.bodyErr == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	if errors.As(q.bodyErr, &tooBig) {
		q.Error(http.StatusRequestEntityTooLarge, "request body is larger than 1 MB")
	} else {
		q.Error(http.StatusBadRequest, "request body could not be read")
	}
	return false
}

// Form is the query string and a form (urlencoded or multipart) body together, as courier's
// form handlers read them.
func (q *Request) Form() (url.Values, bool) {
	if !q.BodyOK() {
		return nil, false
	}
	if err := q.R.ParseMultipartForm(maxProviderBody); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		q.Error(http.StatusBadRequest, "body is not a valid form")
		return nil, false
	}
	return q.R.Form, true
}

// JSON decodes the body into v, answering 400 when it is not JSON of that shape.
func (q *Request) JSON(v any) bool {
	if !q.BodyOK() {
		return false
	}
	if err := json.Unmarshal(q.body, v); err != nil {
		q.Error(http.StatusBadRequest, "unable to parse request JSON: "+err.Error())
		return false
	}
	return true
}

// SetLogType names what this request was (msg_receive, msg_status, event_receive, ...).
func (q *Request) SetLogType(t string) { q.logType = t }

func (q *Request) finish() {
	l := &store.ChannelLog{WorkspaceID: q.Channel.WorkspaceID, ChannelUUID: q.Channel.UUID, MsgUUID: q.msgUUID,
		Type: q.logType, Method: q.R.Method, URL: q.R.URL.String(), StatusCode: q.rec.status,
		Request: dumpRequest(q.R, q.body), Response: q.rec.buf.String()}
	q.svc.addLog(redactor(q.Type, q.Config), l)
}

type courierBody struct {
	Message string           `json:"message"`
	Data    []map[string]any `json:"data"`
}

func writeError(w http.ResponseWriter, status int, texts ...string) {
	data := make([]map[string]any, len(texts))
	for i, t := range texts {
		data[i] = map[string]any{"type": "error", "error": t}
	}
	writeJSON(w, status, courierBody{Message: "Error", Data: data})
}

// Error answers the spec's error body (runtime.md §8.1), 400 unless status says otherwise.
func (q *Request) Error(status int, texts ...string) { writeError(q.W, status, texts...) }

// Ignored answers 200 with the reason nothing was done.
func (q *Request) Ignored(reason string) {
	writeJSON(q.W, http.StatusOK, courierBody{Message: "Ignored", Data: []map[string]any{{"type": "info", "info": reason}}})
}

// Respond answers with a fixed body (TwiML, a provider's expected acknowledgement).
func (q *Request) Respond(status int, contentType, body string) {
	q.W.Header().Set("Content-Type", contentType)
	q.W.WriteHeader(status)
	_, _ = io.WriteString(q.W, body)
}

// Incoming is a message a provider handed in.
type Incoming struct {
	URN        string
	Name       string
	Text       string
	ExternalID string
	ReceivedOn time.Time
	// Attachments are URLs to fetch and keep, or "type:url" values kept as they are.
	Attachments []string
	// Media are attachments already in hand (decoded data: URLs, downloaded files).
	Media []Media
}

// Media is an attachment's content.
type Media struct {
	ContentType string
	Data        []byte
}

// ReceiveMsg stores an incoming message (once: a provider's retry is recognised) and returns
// the data entry of the accepted answer. Errors are answered already when ok is false.
func (q *Request) ReceiveMsg(in *Incoming) (map[string]any, bool) {
	ctx := q.R.Context()
	u, err := runtime.NormalizeURN(in.URN, q.country())
	if err != nil {
		q.Error(http.StatusBadRequest, err.Error())
		return nil, false
	}
	urn := u.Identity()
	key := q.Channel.UUID + "|" + urn + "|"
	if in.ExternalID != "" {
		key += "x:" + in.ExternalID
	} else {
		h := sha256.Sum256([]byte(in.Text + "\x00" + strings.Join(in.Attachments, "\x00")))
		key += "h:" + hex.EncodeToString(h[:8])
	}
	unlock := q.svc.dedupe.lock(key)
	defer unlock()
	entry := map[string]any{"type": "msg", "channel_uuid": q.Channel.UUID, "text": in.Text, "urn": urn}
	if in.ExternalID != "" {
		entry["external_id"] = in.ExternalID
	}
	// De-duplication (runtime.md §2.1): the same provider id within a day, or the same
	// content within a few seconds, is acknowledged without being stored again.
	if uuid, ok := q.svc.dedupe.seen(key, in.ExternalID != ""); ok {
		entry["msg_uuid"] = uuid
		q.msgUUID = uuid
		return entry, true
	}
	if in.ExternalID != "" {
		m, err := q.svc.Store.GetMsgByExternalID(ctx, q.Channel.UUID, in.ExternalID, true)
		if err == nil && m.URN == urn && time.Since(m.CreatedOn) < 24*time.Hour {
			entry["msg_uuid"] = m.UUID
			q.msgUUID = m.UUID
			return entry, true
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			q.svc.Log.Error("channel de-duplication", "error", err)
			q.Error(http.StatusInternalServerError, "message could not be stored")
			return nil, false
		}
	}
	atts, err := q.keepAttachments(ctx, in)
	if err != nil {
		q.svc.Log.Error("channel media", "error", err)
		q.Error(http.StatusInternalServerError, "attachment could not be stored")
		return nil, false
	}
	acc, err := q.svc.RT.Receive(ctx, &runtime.Inbound{WorkspaceID: q.Channel.WorkspaceID, ChannelUUID: q.Channel.UUID,
		URN: urn, Country: q.country(), Name: in.Name, Text: in.Text, Attachments: atts, ExternalID: in.ExternalID,
		ReceivedOn: in.ReceivedOn})
	if err != nil {
		q.fail(err)
		return nil, false
	}
	q.svc.dedupe.add(key, acc.MsgUUID)
	q.msgUUID = acc.MsgUUID
	entry["msg_uuid"] = acc.MsgUUID
	if len(atts) > 0 {
		entry["attachments"] = atts
	}
	if !in.ReceivedOn.IsZero() {
		entry["received_on"] = in.ReceivedOn.UTC().Format(time.RFC3339Nano)
	}
	return entry, true
}

// AcceptMsgs answers 200 "Message Accepted".
func (q *Request) AcceptMsgs(entries ...map[string]any) {
	writeJSON(q.W, http.StatusOK, courierBody{Message: "Message Accepted", Data: entries})
}

func (q *Request) country() string { return q.Channel.Country }

func (q *Request) fail(err error) {
	if errors.Is(err, runtime.ErrInvalid) {
		q.Error(http.StatusBadRequest, err.Error())
		return
	}
	q.svc.Log.Error("channel receive", "channel", q.Channel.UUID, "error", err)
	q.Error(http.StatusInternalServerError, "message could not be stored")
}

// ReceiveEvent hands a channel event (new conversation, stop, referral, missed call) to the
// runtime and answers "Event Accepted".
func (q *Request) ReceiveEvent(urn, event string, extra map[string]string) {
	q.logType = "event_receive"
	acc, err := q.svc.RT.Receive(q.R.Context(), &runtime.Inbound{WorkspaceID: q.Channel.WorkspaceID,
		ChannelUUID: q.Channel.UUID, URN: urn, Country: q.country(), Event: event, Extra: extra})
	if err != nil {
		q.fail(err)
		return
	}
	e := map[string]any{"type": "event", "channel_uuid": q.Channel.UUID, "event_type": event, "urn": acc.URN,
		"received_on": time.Now().UTC().Format(time.RFC3339Nano)}
	if len(extra) > 0 {
		e["extra"] = extra
	}
	writeJSON(q.W, http.StatusOK, courierBody{Message: "Event Accepted", Data: []map[string]any{e}})
}

// StatusUpdate is a delivery report: the message by UUID when the provider echoes it, else by
// the provider's id.
type StatusUpdate struct {
	MsgUUID    string
	ExternalID string
	Status     string
	Reason     string
}

// statusRank orders statuses so a late report never moves a message back (a "sent" after
// "delivered").
var statusRank = map[string]int{store.MsgQueued: 0, store.MsgErrored: 0, store.MsgWired: 1, store.MsgSent: 2,
	store.MsgDelivered: 3, store.MsgRead: 4, store.MsgFailed: 5}

// UpdateStatus applies a delivery report; it returns the data entry of the answer, or answers
// the error itself (ok false).
func (q *Request) UpdateStatus(u StatusUpdate) (map[string]any, bool) {
	q.logType = "msg_status"
	ctx := q.R.Context()
	var m *store.Msg
	var err error
	if u.MsgUUID != "" {
		m, err = q.svc.Store.GetMsgByUUID(ctx, u.MsgUUID)
		if err == nil && (m.ChannelUUID != q.Channel.UUID || m.Incoming) {
			err = store.ErrNotFound
		}
	} else {
		m, err = q.svc.Store.GetMsgByExternalID(ctx, q.Channel.UUID, u.ExternalID, false)
	}
	if errors.Is(err, store.ErrNotFound) {
		q.Ignored("message not found")
		return nil, false
	}
	if err != nil {
		q.svc.Log.Error("channel status", "error", err)
		q.Error(http.StatusInternalServerError, "status could not be stored")
		return nil, false
	}
	q.msgUUID = m.UUID
	entry := map[string]any{"type": "status", "channel_uuid": q.Channel.UUID, "status": statusCode[u.Status]}
	if u.ExternalID != "" {
		entry["external_id"] = u.ExternalID
	}
	if u.MsgUUID != "" {
		entry["msg_uuid"] = u.MsgUUID
	}
	if !q.applyStatus(m, u) {
		return nil, false
	}
	return entry, true
}

// applyStatus moves m on by a report; it answers errors itself (false).
func (q *Request) applyStatus(m *store.Msg, u StatusUpdate) bool {
	if m.Status == store.MsgFailed || (statusRank[u.Status] <= statusRank[m.Status] && u.Status != store.MsgErrored) {
		return true // late or repeated report: nothing moves back
	}
	upd := store.MsgStatusUpdate{ID: m.ID, Status: u.Status, ExternalID: u.ExternalID, FailedReason: u.Reason,
		Now: q.svc.RT.Clock.Now()}
	if u.Status == store.MsgErrored {
		if m.ErrorCount+1 >= maxErrors {
			upd.Status, upd.FailedReason = store.MsgFailed, "error limit"
		} else {
			next := upd.Now.Add(retryBackoff * time.Duration(m.ErrorCount+1))
			upd.NextAttempt = &next
		}
	}
	if err := q.svc.RT.Store.UpdateMsgStatuses(q.R.Context(), []store.MsgStatusUpdate{upd}); err != nil {
		q.svc.Log.Error("channel status", "error", err)
		q.Error(http.StatusInternalServerError, "status could not be stored")
		return false
	}
	return true
}

var statusCode = map[string]string{store.MsgQueued: "Q", store.MsgWired: "W", store.MsgSent: "S",
	store.MsgDelivered: "D", store.MsgRead: "R", store.MsgErrored: "E", store.MsgFailed: "F"}

// AcceptStatus answers 200 "Status Update Accepted".
func (q *Request) AcceptStatus(entries ...map[string]any) {
	writeJSON(q.W, http.StatusOK, courierBody{Message: "Status Update Accepted", Data: entries})
}

// dedupe remembers recent receipts per node: provider ids for a day, content for 3 seconds;
// the store's provider-id look-up covers other nodes and restarts.
type dedupe struct {
	mu    sync.Mutex
	seenM map[string]seenEntry
	locks map[string]*keyLock
	swept time.Time
}

type seenEntry struct {
	uuid  string
	until time.Time
	byID  bool
}

type keyLock struct {
	mu   sync.Mutex
	refs int
}

func newDedupe() *dedupe {
	return &dedupe{seenM: map[string]seenEntry{}, locks: map[string]*keyLock{}}
}

const contentWindow = 3 * time.Second

func (d *dedupe) lock(key string) func() {
	d.mu.Lock()
	l := d.locks[key]
	if l == nil {
		l = &keyLock{}
		d.locks[key] = l
	}
	l.refs++
	d.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		d.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(d.locks, key)
		}
		d.mu.Unlock()
	}
}

func (d *dedupe) seen(key string, byID bool) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e, ok := d.seenM[key]
	if !ok || time.Now().After(e.until) {
		return "", false
	}
	return e.uuid, true
}

func (d *dedupe) add(key, uuid string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	if now.Sub(d.swept) > time.Minute {
		for k, e := range d.seenM {
			if now.After(e.until) {
				delete(d.seenM, k)
			}
		}
		d.swept = now
	}
	// Provider ids are checked in the store too; memory only needs to cover the commit race.
	ttl := contentWindow
	if strings.Contains(key, "|x:") {
		ttl = time.Minute
	}
	d.seenM[key] = seenEntry{uuid: uuid, until: now.Add(ttl)}
}
