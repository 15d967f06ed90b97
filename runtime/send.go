package runtime

import (
	"context"
	"errors"

	"careflow/engine"
	"careflow/store"
)

// SendMessage queues one message to a contact outside any flow (API v2 messages.json POST):
// to the contact's preferred URN and channel, as a flow's send_msg would; a contact that is
// blocked, stopped or archived, or has no URN a channel can send to, gets the message as
// failed with the reason, as the engine records such sends.
func (r *Runtime) SendMessage(ctx context.Context, wsID int64, contactUUID, text string, attachments, quickReplies []string) (*store.Msg, *store.Contact, error) {
	w, err := r.Workspace(ctx, wsID)
	if err != nil {
		return nil, nil, err
	}
	c, err := r.Store.GetContactByUUID(ctx, wsID, contactUUID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, invalid("contact: no such object: %s", contactUUID)
	}
	if err != nil {
		return nil, nil, err
	}
	ec, err := w.engineContact(c)
	if err != nil {
		return nil, nil, err
	}
	now := r.Clock.Now()
	m := &store.Msg{UUID: uuids{}.NewV7(), WorkspaceID: wsID, ContactID: c.ID, Text: text, Attachments: attachments,
		QuickReplies: quickReplies, Status: store.MsgQueued, Visibility: "visible", CreatedOn: now, ModifiedOn: now}
	switch ec.Status {
	case engine.StatusBlocked, engine.StatusStopped, engine.StatusArchived:
		m.Status, m.FailedReason = store.MsgFailed, "contact_"+ec.Status
	}
	if d := engine.RouteContact(w.Assets, ec); d != nil {
		m.URN, m.ChannelUUID = d.URN.Identity(), d.Channel.UUID
		if m.Status == store.MsgQueued {
			(&contactScene{w: w, now: now}).sendOnTestChannel(m)
		}
	} else if m.Status != store.MsgFailed {
		m.Status, m.FailedReason = store.MsgFailed, "no_destination"
		if len(ec.URNs) > 0 {
			m.URN = ec.URNs[0].Identity()
		}
	}
	// A scene about no contact: the message is added without taking the contact from its
	// worker (the contact's own state does not change).
	errs, err := r.Store.CommitScenes(ctx, r.owner, []*store.Scene{{WorkspaceID: wsID, MsgsOut: []*store.Msg{m}}}, now)
	if err != nil {
		return nil, nil, err
	}
	if errs[0] != nil {
		return nil, nil, errs[0]
	}
	r.notifyOutbox()
	return m, c, nil
}
