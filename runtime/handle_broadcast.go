package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/store"
)

func init() { taskHandlers[store.TaskBroadcast] = handleBroadcast }

// handleBroadcast sends a broadcast's message to the contact, in the contact's language when
// the broadcast has it (else the workspace's default, else the base language), with its
// expressions evaluated for the contact.
func handleBroadcast(ctx context.Context, cs *contactScene, t *store.ContactTask) error {
	b, err := cs.batch.broadcast(ctx, t.RefID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if b.Status == store.StartInterrupted || b.Status == store.StartFailed {
		return nil
	}
	var trs map[string]*event.BroadcastTranslation
	if err := json.Unmarshal(b.Translations, &trs); err != nil {
		return fmt.Errorf("broadcast %d translations: %w", b.ID, err)
	}
	m := cs.sendMessage(trs, b.BaseLanguage)
	if m == nil {
		return nil
	}
	m.BroadcastID = b.ID
	return nil
}

// sendMessage renders a localized message for the contact and queues it to the contact's
// preferred route, as a failed message when the contact cannot be sent to.
func (cs *contactScene) sendMessage(trs map[string]*event.BroadcastTranslation, base string) *store.Msg {
	lang := base
	if _, ok := trs[cs.ec.Language]; ok && cs.ec.Language != "" {
		lang = cs.ec.Language
	} else if len(cs.w.Languages) > 0 {
		if _, ok := trs[cs.w.Languages[0]]; ok && trs[base] == nil {
			lang = cs.w.Languages[0]
		}
	}
	tr := trs[lang]
	if tr == nil {
		for _, v := range trs {
			tr = v
			break
		}
	}
	if tr == nil {
		return nil
	}
	eng := cs.w.Engine
	m := &store.Msg{UUID: uuids{}.NewV7(), WorkspaceID: cs.w.ID, ContactID: cs.c.ID, Status: store.MsgQueued,
		Visibility: "visible", CreatedOn: cs.now, ModifiedOn: cs.now, Locale: lang,
		Text: eng.RenderForContact(cs.w.Assets, cs.w.Env, cs.ec, tr.Text)}
	for _, a := range tr.Attachments {
		m.Attachments = append(m.Attachments, eng.RenderForContact(cs.w.Assets, cs.w.Env, cs.ec, a))
	}
	for _, q := range tr.QuickReplies {
		m.QuickReplies = append(m.QuickReplies, eng.RenderForContact(cs.w.Assets, cs.w.Env, cs.ec, q.Text))
	}
	switch cs.ec.Status {
	case engine.StatusBlocked, engine.StatusStopped, engine.StatusArchived:
		m.Status, m.FailedReason = store.MsgFailed, "contact_"+cs.ec.Status
	}
	if d := engine.RouteContact(cs.w.Assets, cs.ec); d != nil {
		m.URN, m.ChannelUUID = d.URN.Identity(), d.Channel.UUID
		if m.Status == store.MsgQueued {
			cs.sendOnTestChannel(m)
		}
	} else if m.Status != store.MsgFailed {
		m.Status, m.FailedReason = store.MsgFailed, "no_destination"
		if len(cs.ec.URNs) > 0 {
			m.URN = cs.ec.URNs[0].Identity()
		}
	}
	cs.scene.MsgsOut = append(cs.scene.MsgsOut, m)
	return m
}
