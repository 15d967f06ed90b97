package runtime

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"careflow/engine"
	"careflow/store"
)

// Channel event types a channel hands in (runtime.md §2.4–2.5).
const (
	EventNewConversation = "new_conversation"
	EventReferral        = "referral"
	EventMissedCall      = "mo_miss"
	EventIncomingCall    = "mo_call"
	EventStopContact     = "stop_contact"
	EventWelcome         = "welcome_message"
)

// Limits on what a channel may hand in.
const (
	MaxIncomingText        = 10000
	MaxIncomingAttachments = 10
	MaxAttachmentURL       = 2048
	MaxURNLength           = 255
)

// Inbound is a message (Event empty) or channel event received on a channel.
type Inbound struct {
	WorkspaceID int64
	ChannelUUID string
	// URN is as the channel gives it; tel numbers are normalised with Country (the channel's
	// or, when empty, the workspace's).
	URN         string
	Country     string
	Name        string
	Text        string
	Attachments []string
	ExternalID  string
	ReceivedOn  time.Time
	Event       string
	// Extra carries an event's parameters (a referral's referrer_id, source, ...).
	Extra map[string]string
}

// Accepted is what the runtime stored for an Inbound.
type Accepted struct {
	MsgUUID    string
	MsgID      int64
	ContactID  int64
	NewContact bool
	URN        string
}

// msgPayload is the task payload of an incoming message or event.
type msgPayload struct {
	MsgID       int64             `json:"msg_id,omitempty"`
	MsgUUID     string            `json:"msg_uuid,omitempty"`
	URN         string            `json:"urn"`
	ChannelUUID string            `json:"channel_uuid,omitempty"`
	Text        string            `json:"text,omitempty"`
	Attachments []string          `json:"attachments,omitempty"`
	ExternalID  string            `json:"external_id,omitempty"`
	ReceivedOn  time.Time         `json:"received_on"`
	Event       string            `json:"event,omitempty"`
	Extra       map[string]string `json:"extra,omitempty"`
	NewContact  bool              `json:"new_contact,omitempty"`
}

// NormalizeURN parses, normalises and validates a URN; national tel numbers are read as
// numbers of country.
func NormalizeURN(raw, country string) (*engine.URN, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, invalid("URN is required")
	}
	if len(raw) > MaxURNLength {
		return nil, invalid("URN is longer than %d characters", MaxURNLength)
	}
	if !utf8.ValidString(raw) || strings.ContainsRune(raw, 0) {
		return nil, invalid("URN contains invalid characters")
	}
	u, err := engine.ParseURN(raw)
	if err != nil {
		return nil, invalid("invalid URN: %s", raw)
	}
	u.NormalizeIn(country)
	if err := u.Validate(); err != nil {
		return nil, invalid("invalid URN %q: %s", raw, err.Error())
	}
	return u, nil
}

// Receive stores an incoming message or event and queues it for its contact, creating the
// contact for an unknown URN. It returns once the message is durable.
func (r *Runtime) Receive(ctx context.Context, in *Inbound) (*Accepted, error) {
	if len(in.Text) > MaxIncomingText || utf8.RuneCountInString(in.Text) > MaxIncomingText {
		return nil, invalid("message text is longer than %d characters", MaxIncomingText)
	}
	if !utf8.ValidString(in.Text) || strings.ContainsRune(in.Text, 0) {
		return nil, invalid("message text is not valid UTF-8 text")
	}
	if len(in.Attachments) > MaxIncomingAttachments {
		return nil, invalid("a message has at most %d attachments", MaxIncomingAttachments)
	}
	for _, a := range in.Attachments {
		if len(a) > MaxAttachmentURL || !utf8.ValidString(a) {
			return nil, invalid("attachment is longer than %d characters or not valid text", MaxAttachmentURL)
		}
	}
	if len(in.Name) > 128 {
		in.Name = engine.Truncate(in.Name, 128)
	}
	country := in.Country
	if country == "" {
		ws, err := r.Workspace(ctx, in.WorkspaceID)
		if err != nil {
			return nil, err
		}
		country = ws.Country
	}
	u, err := NormalizeURN(in.URN, country)
	if err != nil {
		return nil, err
	}
	now := r.Clock.Now()
	if in.ReceivedOn.IsZero() {
		in.ReceivedOn = now
	}
	p := &msgPayload{URN: u.Identity(), ChannelUUID: in.ChannelUUID, Text: in.Text, Attachments: in.Attachments,
		ExternalID: in.ExternalID, ReceivedOn: in.ReceivedOn, Event: in.Event, Extra: in.Extra}
	item := &store.Incoming{WorkspaceID: in.WorkspaceID,
		URN:  store.NewContactURN{Identity: u.Identity(), Display: u.Display, ChannelUUID: in.ChannelUUID, Name: in.Name},
		Task: store.ContactTask{WorkspaceID: in.WorkspaceID, Type: store.TaskEvent, CreatedOn: now}}
	acc := &Accepted{URN: u.Identity()}
	if in.Event == "" {
		acc.MsgUUID = uuids{}.NewV7()
		p.MsgUUID = acc.MsgUUID
		item.Task.Type = store.TaskMsg
		item.Msg = &store.Msg{UUID: acc.MsgUUID, WorkspaceID: in.WorkspaceID, URN: u.Identity(), ChannelUUID: in.ChannelUUID,
			Incoming: true, Text: in.Text, Attachments: in.Attachments, Status: store.MsgPending, Visibility: "visible",
			ExternalID: in.ExternalID, CreatedOn: in.ReceivedOn, ModifiedOn: now}
	}
	if item.Task.Payload, err = json.Marshal(p); err != nil {
		return nil, err
	}
	res, err := r.recv.submit(ctx, item)
	if err != nil {
		return nil, err
	}
	acc.MsgID, acc.ContactID, acc.NewContact = res.MsgID, res.ContactID, res.NewContact
	return acc, nil
}

// receiver stores incoming items with group commit: one writer takes every item queued while
// the previous transaction ran, so under load each commit carries many messages and nobody
// waits for a timer.
type receiver struct {
	rt *Runtime
	ch chan *recvReq
}

type recvReq struct {
	item *store.Incoming
	done chan recvRes
}

type recvRes struct {
	res store.Received
	err error
}

const maxReceiveBatch = 500

func newReceiver(rt *Runtime) *receiver {
	return &receiver{rt: rt, ch: make(chan *recvReq, 4096)}
}

func (rc *receiver) submit(ctx context.Context, item *store.Incoming) (store.Received, error) {
	req := &recvReq{item: item, done: make(chan recvRes, 1)}
	select {
	case rc.ch <- req:
	case <-ctx.Done():
		return store.Received{}, ctx.Err()
	}
	select {
	case res := <-req.done:
		return res.res, res.err
	case <-ctx.Done():
		// The item may still be stored. A sender that retries could store it twice; provider
		// channels de-duplicate retries by external id and content (the test channel does not).
		return store.Received{}, ctx.Err()
	}
}

func (rc *receiver) run(ctx context.Context) {
	for {
		var first *recvReq
		select {
		case <-ctx.Done():
			rc.drain(ctx.Err())
			return
		case first = <-rc.ch:
		}
		batch := []*recvReq{first}
	more:
		for len(batch) < maxReceiveBatch {
			select {
			case req := <-rc.ch:
				batch = append(batch, req)
			default:
				break more
			}
		}
		items := make([]*store.Incoming, len(batch))
		for i, req := range batch {
			items[i] = req.item
		}
		// The write is not tied to ctx: once taken, a batch is committed or refused whole.
		wctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		res, err := rc.rt.Store.ReceiveIncoming(wctx, items, rc.rt.Clock.Now())
		cancel()
		for i, req := range batch {
			if err != nil {
				req.done <- recvRes{err: err}
				continue
			}
			req.done <- recvRes{res: res[i]}
		}
		if err == nil {
			rc.rt.Wake()
		} else {
			rc.rt.Log.Error("storing incoming messages", "error", err, "count", len(batch))
		}
	}
}

func (rc *receiver) drain(err error) {
	for {
		select {
		case req := <-rc.ch:
			req.done <- recvRes{err: err}
		default:
			return
		}
	}
}
