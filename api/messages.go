package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"careflow/runtime"
	"careflow/store"
)

// GET messages.json: filters uuid, id, contact, folder (inbox, flows, archived, outbox, sent,
// failed), label (UUID or name), before/after (created_on); newest first. The broadcast
// filter gives an empty list: messages are not listed by broadcast.
func listMessages(c *call) error {
	if err := c.exclusive("contact", "folder", "label", "broadcast"); err != nil {
		return err
	}
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	id, err := c.intParam("id")
	if err != nil {
		return err
	}
	contactUUID, err := c.uuidParam("contact")
	if err != nil {
		return err
	}
	if _, err := c.intParam("broadcast"); err != nil {
		return err
	}
	pr, err := c.pageReq()
	if err != nil {
		return err
	}
	w, err := c.view()
	if err != nil {
		return err
	}
	q := store.MsgQuery{Limit: 500}
	folder := strings.ToLower(c.param("folder"))
	accept := func(m *store.Msg) bool { return m.Visibility != "deleted" && m.Status != store.MsgPending }
	yes, no := true, false
	switch folder {
	case "":
	case "inbox":
		q.Incoming = &yes
		accept = func(m *store.Msg) bool {
			return m.Visibility == "visible" && m.FlowUUID == "" && m.Status == store.MsgHandled
		}
	case "flows":
		q.Incoming = &yes
		accept = func(m *store.Msg) bool {
			return m.Visibility == "visible" && m.FlowUUID != "" && m.Status == store.MsgHandled
		}
	case "archived":
		q.Incoming = &yes
		accept = func(m *store.Msg) bool { return m.Visibility == "archived" }
	case "outbox":
		q.Incoming, q.Statuses = &no, []string{store.MsgQueued, store.MsgErrored}
	case "sent":
		q.Incoming, q.Statuses = &no, []string{store.MsgWired, store.MsgSent, store.MsgDelivered, store.MsgRead}
	case "failed":
		q.Incoming, q.Statuses = &no, []string{store.MsgFailed}
	default:
		return c.pageForward(nil, nil, false)
	}
	if c.param("broadcast") != "" {
		return c.pageForward(nil, nil, false)
	}
	labels, err := c.api.Store.ListLabels(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	if ref := c.param("label"); ref != "" {
		l := findLabel(labels, ref)
		if l == nil {
			return c.pageForward(nil, nil, false)
		}
		inner := accept
		accept = func(m *store.Msg) bool { return inner(m) && contains(m.Labels, l.UUID) }
	}
	contacts := map[int64]*store.Contact{}
	if contactUUID != "" {
		ct, err := c.api.Store.GetContactByUUID(c.ctx(), c.ws.ID, contactUUID)
		if err != nil {
			return c.pageForward(nil, nil, false)
		}
		q.ContactID = ct.ID
		contacts[ct.ID] = ct
	}
	if pr.at != nil {
		q.BeforeID = pr.at.Key.ID
	}
	win := c.window()
	var picked []*store.Msg
	more := false
	for batches := 0; batches < 40 && !more; batches++ {
		list, err := c.api.Store.ListMsgs(c.ctx(), c.ws.ID, q)
		if err != nil {
			return err
		}
		for _, m := range list {
			q.BeforeID = m.ID
			if !accept(m) || (uuid != "" && m.UUID != uuid) || (id != 0 && m.ID != id) || !win.has(m.CreatedOn) {
				continue
			}
			if len(picked) == pr.size {
				more = true
				break
			}
			picked = append(picked, m)
		}
		if len(list) < q.Limit {
			break
		}
	}
	var need []int64
	for _, m := range picked {
		if contacts[m.ContactID] == nil {
			need = append(need, m.ContactID)
			contacts[m.ContactID] = &store.Contact{}
		}
	}
	if len(need) > 0 {
		cs, err := c.api.Store.GetContacts(c.ctx(), c.ws.ID, need)
		if err != nil {
			return err
		}
		for _, ct := range cs {
			contacts[ct.ID] = ct
		}
	}
	items := make([]any, len(picked))
	keys := make([]cursorKey, len(picked))
	for i, m := range picked {
		items[i], keys[i] = msgItem(w, labels, m, contacts[m.ContactID]), cursorKey{ID: m.ID}
	}
	return c.pageForward(items, keys, more)
}

func msgItem(w *runtime.Workspace, labels []*store.Label, m *store.Msg, ct *store.Contact) map[string]any {
	var ch, fl, media any
	for _, x := range w.Channels {
		if x.UUID == m.ChannelUUID {
			ch = ref(x.UUID, x.Name)
		}
	}
	if f := w.Flows[m.FlowUUID]; f != nil {
		fl = ref(f.UUID, f.Name)
	}
	atts := []any{}
	for _, a := range m.Attachments {
		ctype, url, _ := strings.Cut(a, ":")
		atts = append(atts, map[string]string{"content_type": ctype, "url": url})
	}
	if len(m.Attachments) > 0 {
		media = m.Attachments[0]
	}
	qrs := []any{}
	for _, q := range m.QuickReplies {
		qrs = append(qrs, map[string]string{"text": q})
	}
	dir, status := "out", m.Status
	if m.Incoming {
		dir = "in"
	}
	if status == store.MsgPending {
		status = store.MsgQueued
	}
	var contact any
	if ct != nil && ct.UUID != "" {
		contact = ref(ct.UUID, ct.Name)
	}
	var broadcast any
	if m.BroadcastID != 0 {
		broadcast = m.BroadcastID
	}
	refs := []any{}
	if m.Incoming {
		for _, u := range m.Labels {
			if l := findLabel(labels, u); l != nil {
				refs = append(refs, ref(l.UUID, l.Name))
			}
		}
	}
	visibility := m.Visibility
	if visibility == "" {
		visibility = "visible"
	}
	return map[string]any{
		"uuid": m.UUID, "id": m.ID, "type": "text", "channel": ch, "contact": contact, "urn": m.URN, "text": m.Text,
		"attachments": atts, "quick_replies": qrs, "archived": visibility == "archived", "broadcast": broadcast,
		"created_on": formatDate(m.CreatedOn), "direction": dir, "flow": fl, "labels": refs, "media": media,
		"modified_on": formatDate(m.ModifiedOn), "sent_on": dateOrNil(m.SentOn), "status": status, "visibility": visibility,
	}
}

// POST messages.json sends one message to one contact (201 with the message).
func postMessage(c *call) error {
	b, err := c.readBody()
	if err != nil {
		return err
	}
	w, err := c.view()
	if err != nil {
		return err
	}
	contact := b.str("contact", 36, true)
	text := b.str("text", 4096, false)
	attachments := b.refList("attachments")
	if len(attachments) > 10 {
		b.errs.add("attachments", "Ensure this field has no more than 10 elements.")
	}
	var quick []string
	if b.has("quick_replies") && !b.isNull("quick_replies") {
		var qrs []map[string]any
		if err := json.Unmarshal(b.fields["quick_replies"], &qrs); err != nil {
			b.errs.add("quick_replies", "Expected a list of quick reply objects.")
		} else if len(qrs) > 10 {
			b.errs.add("quick_replies", "Ensure this field has no more than 10 elements.")
		} else {
			for _, q := range qrs {
				typ, _ := q["type"].(string)
				t, _ := q["text"].(string)
				extra, hasExtra := q["extra"].(string)
				switch {
				case typ == "" || typ == "text":
					if t == "" {
						b.errs.add("quick_replies", "Text quick replies must have text.")
					}
				case typ == "form" || typ == "url":
					if t == "" || !hasExtra {
						b.errs.add("quick_replies", "Form and URL quick replies must have text and extra.")
					}
				case typ == "location":
					if hasExtra {
						b.errs.add("quick_replies", "Location quick replies must not have extra.")
					}
				default:
					b.errs.add("quick_replies", `"`+typ+`" is not a valid quick reply type.`)
				}
				if len([]rune(t)) > 64 || len([]rune(extra)) > 1000 {
					b.errs.add("quick_replies", "Quick reply text is at most 64 characters and extra at most 1000.")
				}
				quick = append(quick, t)
			}
		}
	}
	if err := b.done(); err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" && len(attachments) == 0 {
		b.errs.add("non_field_errors", "Must provide either text or attachments.")
	}
	if contact != "" && !isUUID(contact) {
		b.errs.add("contact", "No such object: "+contact)
	}
	if err := b.errs.err(); err != nil {
		return err
	}
	m, ct, err := c.api.Runtime.SendMessage(c.ctx(), w.ID, strings.ToLower(contact), text, attachments, quick)
	if err != nil {
		return fromRuntime(err)
	}
	return c.ok(http.StatusCreated, msgItem(w, nil, m, ct))
}
