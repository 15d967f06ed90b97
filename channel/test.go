package channel

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"careflow/runtime"
	"careflow/store"
)

// Test is the built-in test channel: it "sends" by recording messages as sent, and lets a test
// or a person play the contact's phone over HTTP:
//
//	POST /c/test/<uuid>/receive   from=<urn or number>&text=...   (form or JSON)
//	POST /c/test/<uuid>/event     type=new_conversation|referral|stop_contact|mo_miss&from=...
//	GET  /c/test/<uuid>/outbox    ?urn=tel:+2507...&after=<id>&wait=5s   (signed-in users only)
//
// Receiving answers as courier does: {"message": "Message Accepted", "data": [...]}.
type Test struct {
	RT  *runtime.Runtime
	Log *slog.Logger

	mu      sync.Mutex
	changed chan struct{}
}

// NewTest builds the test channel on a runtime.
func NewTest(rt *runtime.Runtime, log *slog.Logger) *Test {
	return &Test{RT: rt, Log: log, changed: make(chan struct{})}
}

// maxReceiveBody bounds what one receive request may send.
const maxReceiveBody = 64 << 10

type courierResponse struct {
	Message string           `json:"message"`
	Data    []map[string]any `json:"data"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func courierError(w http.ResponseWriter, status int, text string) {
	writeJSON(w, status, courierResponse{Message: "Error", Data: []map[string]any{{"type": "error", "error": text}}})
}

// channel finds a live test channel by the request's {uuid}.
func (t *Test) channel(r *http.Request) (*store.Channel, error) {
	ch, err := t.RT.Channel(r.Context(), r.PathValue("uuid"))
	if err != nil || ch.Deleted || ch.Type != runtime.TestChannelType {
		return nil, errors.New("channel not found")
	}
	return ch, nil
}

// params reads a form, query or JSON object of strings (attachments may repeat).
func params(w http.ResponseWriter, r *http.Request) (map[string][]string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxReceiveBody)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var obj map[string]any
		dec := json.NewDecoder(r.Body)
		if err := dec.Decode(&obj); err != nil {
			return nil, errors.New("body is not a JSON object")
		}
		out := map[string][]string{}
		for k, v := range obj {
			switch x := v.(type) {
			case string:
				out[k] = []string{x}
			case []any:
				for _, e := range x {
					if s, ok := e.(string); ok {
						out[k] = append(out[k], s)
					}
				}
			case map[string]any:
				for ek, ev := range x {
					if s, ok := ev.(string); ok {
						out[k+"."+ek] = []string{s}
					}
				}
			}
		}
		return out, nil
	}
	if err := r.ParseForm(); err != nil {
		return nil, errors.New("body is not a valid form")
	}
	return r.Form, nil
}

func first(p map[string][]string, keys ...string) string {
	for _, k := range keys {
		if v := p[k]; len(v) > 0 && v[0] != "" {
			return v[0]
		}
	}
	return ""
}

// urnOf reads the sender: a URN, or a bare phone number taken as tel.
func urnOf(from string) string {
	if from != "" && !strings.Contains(from, ":") {
		return "tel:" + from
	}
	return from
}

// Receive handles POST /c/test/{uuid}/receive.
func (t *Test) Receive(w http.ResponseWriter, r *http.Request) {
	ch, err := t.channel(r)
	if err != nil {
		courierError(w, http.StatusNotFound, err.Error())
		return
	}
	p, err := params(w, r)
	if err != nil {
		courierError(w, http.StatusBadRequest, err.Error())
		return
	}
	from := first(p, "from", "urn", "sender")
	if from == "" {
		courierError(w, http.StatusBadRequest, "field 'from' required")
		return
	}
	in := &runtime.Inbound{WorkspaceID: ch.WorkspaceID, ChannelUUID: ch.UUID, URN: urnOf(from), Country: ch.Country,
		Name: first(p, "name"), Text: first(p, "text"), Attachments: p["attachments"], ExternalID: first(p, "id", "external_id")}
	acc, err := t.RT.Receive(r.Context(), in)
	if err != nil {
		t.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, courierResponse{Message: "Message Accepted", Data: []map[string]any{{
		"type": "msg", "channel_uuid": ch.UUID, "msg_uuid": acc.MsgUUID, "text": in.Text, "urn": acc.URN,
		"contact_id": acc.ContactID, "new_contact": acc.NewContact}}})
}

var testEvents = map[string]bool{runtime.EventNewConversation: true, runtime.EventReferral: true,
	runtime.EventStopContact: true, runtime.EventMissedCall: true, runtime.EventWelcome: true}

// Event handles POST /c/test/{uuid}/event.
func (t *Test) Event(w http.ResponseWriter, r *http.Request) {
	ch, err := t.channel(r)
	if err != nil {
		courierError(w, http.StatusNotFound, err.Error())
		return
	}
	p, err := params(w, r)
	if err != nil {
		courierError(w, http.StatusBadRequest, err.Error())
		return
	}
	typ := first(p, "type", "event")
	if !testEvents[typ] {
		courierError(w, http.StatusBadRequest, "field 'type' must be one of new_conversation, referral, stop_contact, mo_miss, welcome_message")
		return
	}
	from := first(p, "from", "urn")
	if from == "" {
		courierError(w, http.StatusBadRequest, "field 'from' required")
		return
	}
	extra := map[string]string{}
	for k, v := range p {
		if k != "type" && k != "event" && k != "from" && k != "urn" && len(v) > 0 {
			extra[strings.TrimPrefix(k, "extra.")] = v[0]
		}
	}
	in := &runtime.Inbound{WorkspaceID: ch.WorkspaceID, ChannelUUID: ch.UUID, URN: urnOf(from), Country: ch.Country,
		Event: typ, Extra: extra}
	acc, err := t.RT.Receive(r.Context(), in)
	if err != nil {
		t.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, courierResponse{Message: "Event Accepted", Data: []map[string]any{{
		"type": "event", "channel_uuid": ch.UUID, "event_type": typ, "urn": acc.URN}}})
}

func (t *Test) fail(w http.ResponseWriter, err error) {
	if errors.Is(err, runtime.ErrInvalid) {
		courierError(w, http.StatusBadRequest, err.Error())
		return
	}
	t.Log.Error("test channel receive", "error", err)
	courierError(w, http.StatusInternalServerError, "message could not be stored")
}

// OutboxMsg is a message the test channel sent, as the outbox endpoint lists it.
type OutboxMsg struct {
	ID           int64     `json:"id"`
	UUID         string    `json:"uuid"`
	URN          string    `json:"urn"`
	Text         string    `json:"text"`
	Attachments  []string  `json:"attachments"`
	QuickReplies []string  `json:"quick_replies"`
	Status       string    `json:"status"`
	CreatedOn    time.Time `json:"created_on"`
}

const maxOutboxWait = 30 * time.Second

// Outbox handles GET /c/test/{uuid}/outbox: the messages the channel sent (to one URN when
// asked), oldest first after the given ID, waiting up to wait for one to arrive.
func (t *Test) Outbox(w http.ResponseWriter, r *http.Request) {
	ch, err := t.channel(r)
	if err != nil {
		courierError(w, http.StatusNotFound, err.Error())
		return
	}
	q := r.URL.Query()
	var after int64
	if v := q.Get("after"); v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil || after < 0 {
			courierError(w, http.StatusBadRequest, "after must be a message id")
			return
		}
	}
	var wait time.Duration
	if v := q.Get("wait"); v != "" {
		if wait, err = time.ParseDuration(v); err != nil || wait < 0 {
			courierError(w, http.StatusBadRequest, "wait must be a duration such as 5s")
			return
		}
		wait = min(wait, maxOutboxWait)
	}
	urn := q.Get("urn")
	if urn != "" {
		u, err := runtime.NormalizeURN(urnOf(urn), ch.Country)
		if err != nil {
			courierError(w, http.StatusBadRequest, err.Error())
			return
		}
		urn = u.Identity()
	}
	deadline := time.Now().Add(wait)
	for {
		changed := t.changedChan()
		out := false
		msgs, err := t.RT.Store.ListMsgs(r.Context(), ch.WorkspaceID, store.MsgQuery{ChannelUUID: ch.UUID, URN: urn,
			Incoming: &out, AfterID: after, Statuses: []string{store.MsgSent, store.MsgDelivered, store.MsgWired}, Limit: 100})
		if err != nil {
			t.Log.Error("test channel outbox", "error", err)
			courierError(w, http.StatusInternalServerError, "outbox could not be read")
			return
		}
		if len(msgs) > 0 || time.Now().After(deadline) {
			list := make([]OutboxMsg, 0, len(msgs))
			for i := len(msgs) - 1; i >= 0; i-- { // ListMsgs is newest first
				m := msgs[i]
				list = append(list, OutboxMsg{ID: m.ID, UUID: m.UUID, URN: m.URN, Text: m.Text, Attachments: nonNil(m.Attachments),
					QuickReplies: nonNil(m.QuickReplies), Status: m.Status, CreatedOn: m.CreatedOn})
			}
			writeJSON(w, http.StatusOK, map[string]any{"messages": list})
			return
		}
		timer := time.NewTimer(time.Until(deadline))
		select {
		case <-r.Context().Done():
			timer.Stop()
			return
		case <-changed:
		case <-timer.C:
		}
		timer.Stop()
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (t *Test) changedChan() chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.changed
}

func (t *Test) broadcastChange() {
	t.mu.Lock()
	close(t.changed)
	t.changed = make(chan struct{})
	t.mu.Unlock()
}

// Send runs the test channel's sender until ctx ends. Flows' messages to a test channel are
// committed as sent already (the runtime does it); this marks sent whatever else was queued
// for one, and wakes outbox readers whenever messages were queued.
func (t *Test) Send(ctx context.Context) error {
	wake, stop := t.RT.SubscribeOutbox()
	defer stop()
	poll := time.NewTicker(time.Second)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
			t.broadcastChange()
		case <-poll.C:
			if _, err := t.sendOnce(ctx); err != nil && ctx.Err() == nil {
				t.Log.Error("test channel send", "error", err)
			}
		}
	}
}

func (t *Test) sendOnce(ctx context.Context) (int, error) {
	wss, err := t.RT.Store.ListWorkspaces(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, ws := range wss {
		w, err := t.RT.Workspace(ctx, ws.ID)
		if err != nil {
			return total, err
		}
		for _, ch := range w.Channels {
			if ch.Type != runtime.TestChannelType {
				continue
			}
			now := time.Now()
			msgs, err := t.RT.Store.ClaimOutgoing(ctx, ch.UUID, t.RT.Owner(), now, now.Add(time.Minute), 1000)
			if err != nil {
				return total, err
			}
			if len(msgs) == 0 {
				continue
			}
			updates := make([]store.MsgStatusUpdate, len(msgs))
			for i, m := range msgs {
				updates[i] = store.MsgStatusUpdate{ID: m.ID, Status: store.MsgSent, Now: now}
			}
			if err := t.RT.Store.UpdateMsgStatuses(ctx, updates); err != nil {
				return total, err
			}
			total += len(msgs)
		}
	}
	if total > 0 {
		t.broadcastChange()
	}
	return total, nil
}
