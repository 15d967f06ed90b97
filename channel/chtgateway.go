package channel

import (
	"context"
	"errors"
	"strings"
	"time"

	"careflow/runtime"
	"careflow/store"
)

// CHT gateway (CG): the cht-gateway Android app as a channel (cht.md §5.2). The app polls
// POST /api/sms; each poll hands in the SMS the phone received and the delivery statuses of
// what it sent, and takes up to 25 messages to send. Nothing is pushed, so the type has no
// sender: the poll is the sender.
func init() {
	Register(&Type{Code: "CG", Path: "cg", Name: "CHT Gateway", Schemes: []string{"tel"}})
}

// GatewayMaxOutgoing is how many messages one poll takes (CHT's limit).
const GatewayMaxOutgoing = 25

// GatewayMsg is a message the app received, or one it is given to send.
type GatewayMsg struct {
	ID      string `json:"id"`
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
	Content string `json:"content"`
}

// GatewayUpdate is a status the app reports for a message it was given.
type GatewayUpdate struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// gatewayStatus maps the app's statuses to ours (CHT: UNSENT received-by-gateway, PENDING
// forwarded-by-gateway, SENT, DELIVERED, FAILED).
var gatewayStatus = map[string]string{"UNSENT": store.MsgWired, "PENDING": store.MsgWired, "SENT": store.MsgSent,
	"DELIVERED": store.MsgDelivered, "FAILED": store.MsgFailed}

// GatewayChannel returns the workspace's first live CHT gateway channel, or nil.
func (s *Service) GatewayChannel(ctx context.Context) (*store.Channel, error) {
	wss, err := s.RT.Store.ListWorkspaces(ctx)
	if err != nil {
		return nil, err
	}
	for _, ws := range wss {
		w, err := s.RT.Workspace(ctx, ws.ID)
		if err != nil {
			return nil, err
		}
		for _, ch := range w.Channels {
			if ch.Type == "CG" && !ch.Deleted {
				return ch, nil
			}
		}
	}
	return nil, nil
}

// GatewayReceive hands a message the app received to the runtime, once per app id; it
// reports whether the message is new.
func (s *Service) GatewayReceive(ctx context.Context, ch *store.Channel, m GatewayMsg) (bool, error) {
	acc, err := s.receiveOnce(ctx, ch, m.ID, gatewayURN(m.From), m.Content, time.Time{}, "/api/sms")
	return acc != nil, err
}

// receiveOnce hands a message a phone app received to the runtime once per the app's id for
// it (apps post again what they got no answer for); a repeat returns nil.
func (s *Service) receiveOnce(ctx context.Context, ch *store.Channel, extID, urn, text string, at time.Time, path string) (*runtime.Accepted, error) {
	if prev, err := s.Store.GetMsgByExternalID(ctx, ch.UUID, extID, true); err == nil && prev != nil {
		return nil, nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	key := ch.UUID + "|gw|" + extID
	unlock := s.dedupe.lock(key)
	defer unlock()
	if _, ok := s.dedupe.seen(key, true); ok {
		return nil, nil
	}
	acc, err := s.RT.Receive(ctx, &runtime.Inbound{WorkspaceID: ch.WorkspaceID, ChannelUUID: ch.UUID, URN: urn,
		Country: ch.Country, Text: text, ExternalID: extID, ReceivedOn: at})
	if err != nil {
		return nil, err
	}
	s.dedupe.add(key, acc.MsgUUID)
	s.addLog(nil, &store.ChannelLog{WorkspaceID: ch.WorkspaceID, ChannelUUID: ch.UUID, MsgUUID: acc.MsgUUID,
		Type: "msg_receive", Method: "POST", URL: path, Request: "id=" + extID + " from=" + urn})
	return acc, nil
}

func gatewayURN(from string) string {
	if strings.HasPrefix(from, "tel:") {
		return from
	}
	return "tel:" + from
}

// GatewayStatus applies a status the app reports; it reports false for ids that are not this
// channel's messages (CHT's own outgoing messages, or unknown ids).
func (s *Service) GatewayStatus(ctx context.Context, ch *store.Channel, u GatewayUpdate) (bool, error) {
	m, err := s.Store.GetMsgByUUID(ctx, u.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (m.ChannelUUID != ch.UUID || m.Incoming)) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	status, ok := gatewayStatus[u.Status]
	if !ok || m.Status == store.MsgFailed || statusRank[status] <= statusRank[m.Status] {
		return true, nil // unknown or late: nothing moves back
	}
	upd := store.MsgStatusUpdate{ID: m.ID, Status: status, Now: s.RT.Clock.Now()}
	if status == store.MsgFailed {
		upd.FailedReason = u.Reason
	}
	s.addLog(nil, &store.ChannelLog{WorkspaceID: ch.WorkspaceID, ChannelUUID: ch.UUID, MsgUUID: m.UUID,
		Type: "msg_status", Method: "POST", URL: "/api/sms", Request: "status=" + u.Status + " reason=" + u.Reason})
	return true, s.RT.Store.UpdateMsgStatuses(ctx, []store.MsgStatusUpdate{upd})
}

// GatewayOutgoing takes up to limit messages for the app to send. As CHT does, a message
// given to the app is given again on every poll until the app reports a status for it (the
// app de-duplicates by id), so an answer lost on the way loses no message.
func (s *Service) GatewayOutgoing(ctx context.Context, ch *store.Channel, limit int) ([]GatewayMsg, error) {
	now := s.RT.Clock.Now()
	// A lease that ends now keeps the claim from other nodes' senders (there are none for
	// this type) without hiding the messages from the next poll.
	msgs, err := s.RT.Store.ClaimOutgoing(ctx, ch.UUID, s.RT.Owner(), now, now.Add(-time.Millisecond), limit)
	if err != nil {
		return nil, err
	}
	out := make([]GatewayMsg, 0, len(msgs))
	for _, m := range msgs {
		sc := &Send{Msg: m, Type: registry["CG"]}
		out = append(out, GatewayMsg{ID: m.UUID, To: sc.Path(), Content: sc.TextFallback(false, false)})
	}
	return out, nil
}
