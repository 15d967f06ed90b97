package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"careflow/runtime"
	"careflow/store"
)

// GET broadcasts.json: filters uuid, id, before/after (created_on); newest first.
func listBroadcasts(c *call) error {
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	id, err := c.intParam("id")
	if err != nil {
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
	win := c.window()
	before := int64(0)
	if pr.at != nil {
		before = pr.at.Key.ID
	}
	var items []any
	var keys []cursorKey
	more := false
	for batches := 0; batches < 40 && !more; batches++ {
		list, err := c.api.Store.ListBroadcasts(c.ctx(), c.ws.ID, before, 500)
		if err != nil {
			return err
		}
		for _, b := range list {
			before = b.ID
			if b.ParentSession != "" || (uuid != "" && b.UUID != uuid) || (id != 0 && b.ID != id) || !win.has(b.CreatedOn) {
				continue
			}
			if len(items) == pr.size {
				more = true
				break
			}
			item, err := broadcastItem(c, w, b)
			if err != nil {
				return err
			}
			items, keys = append(items, item), append(keys, cursorKey{ID: b.ID})
		}
		if len(list) < 500 {
			break
		}
	}
	return c.pageForward(items, keys, more)
}

type translation struct {
	Text         string   `json:"text"`
	Attachments  []string `json:"attachments"`
	QuickReplies []string `json:"quick_replies"`
}

func broadcastItem(c *call, w *runtime.Workspace, b *store.Broadcast) (map[string]any, error) {
	var trs map[string]translation
	_ = json.Unmarshal(b.Translations, &trs)
	text, att, qr := map[string]string{}, map[string][]string{}, map[string][]any{}
	for lang, t := range trs {
		text[lang] = t.Text
		att[lang] = nonNil(t.Attachments)
		qs := []any{}
		for _, q := range t.QuickReplies {
			qs = append(qs, map[string]string{"text": q})
		}
		qr[lang] = qs
	}
	groups := []any{}
	for _, u := range b.GroupUUIDs {
		if g := w.Group(u); g != nil {
			groups = append(groups, ref(g.UUID, g.Name))
		}
	}
	contacts := []any{}
	if len(b.ContactUUIDs) > 0 {
		ids, err := c.api.Store.FindContactIDs(c.ctx(), c.ws.ID, store.ContactFilter{UUIDs: b.ContactUUIDs})
		if err != nil {
			return nil, err
		}
		cs, err := c.api.Store.GetContacts(c.ctx(), c.ws.ID, ids)
		if err != nil {
			return nil, err
		}
		for _, ct := range cs {
			contacts = append(contacts, ref(ct.UUID, ct.Name))
		}
	}
	status := b.Status
	if status == "starting" {
		status = store.StartPending
	}
	total, started := -1, 0
	if status != store.StartPending {
		total, started = b.ContactCount, b.ContactCount-b.Remaining
	}
	return map[string]any{
		"uuid": b.UUID, "id": b.ID, "status": status, "progress": map[string]int{"total": total, "started": started},
		"urns": nonNil(b.URNs), "contacts": contacts, "groups": groups, "text": text, "attachments": att,
		"quick_replies": qr, "base_language": b.BaseLanguage, "created_on": formatDate(b.CreatedOn),
	}, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// POST broadcasts.json sends a message to urns, contacts and groups; text (and attachments)
// are a string or translations by language.
func postBroadcast(c *call) error {
	b, err := c.readBody()
	if err != nil {
		return err
	}
	w, err := c.view()
	if err != nil {
		return err
	}
	urns := normalizeURNs(b, w, "urns", b.refList("urns"))
	contactRefs := b.refList("contacts")
	groups := resolveGroups(b, w, "groups", b.refList("groups"))
	contacts, err := resolveContacts(c, b, w, "contacts", contactRefs)
	if err != nil {
		return err
	}
	primary := "eng"
	if len(w.Languages) > 0 {
		primary = w.Languages[0]
	}
	text := translated(b, "text", primary, 4096)
	atts := translatedLists(b, "attachments", primary)
	if b.has("quick_replies") && !b.isNull("quick_replies") {
		b.errs.add("quick_replies", "Quick replies on broadcasts are not supported by this server.")
	}
	base := b.str("base_language", 3, false)
	if err := b.done(); err != nil {
		return err
	}
	if len(urns)+len(contacts)+len(groups) == 0 {
		b.errs.add("non_field_errors", "Must provide either urns, contacts or groups.")
	}
	if len(text) == 0 && len(atts) == 0 {
		b.errs.add("non_field_errors", "Must provide either text or attachments.")
	}
	if base == "" {
		for lang := range text {
			if base == "" || lang == primary {
				base = lang
			}
		}
	}
	if _, ok := text[base]; !ok && len(text) > 0 {
		b.errs.add("text", "No text translation provided in base language.")
	}
	if err := b.errs.err(); err != nil {
		return err
	}
	trs := map[string]translation{}
	for lang, t := range text {
		trs[lang] = translation{Text: t, Attachments: atts[lang]}
	}
	for lang, a := range atts {
		if _, ok := trs[lang]; !ok {
			trs[lang] = translation{Attachments: a}
		}
	}
	raw, _ := json.Marshal(trs)
	bc := &store.Broadcast{WorkspaceID: c.ws.ID, Translations: raw, BaseLanguage: base, URNs: urns, CreatedBy: c.user}
	for _, g := range groups {
		bc.GroupUUIDs = append(bc.GroupUUIDs, g.UUID)
	}
	for _, ct := range contacts {
		bc.ContactUUIDs = append(bc.ContactUUIDs, ct.UUID)
	}
	if err := c.api.Runtime.Broadcast(c.ctx(), bc); err != nil {
		return fromRuntime(err)
	}
	item, err := broadcastItem(c, w, bc)
	if err != nil {
		return err
	}
	return c.ok(http.StatusCreated, item)
}

// translated reads a string (taken as the primary language) or {lang: string}.
func translated(b *body, name, primary string, maxLen int) map[string]string {
	if !b.has(name) || b.isNull(name) {
		return nil
	}
	var s string
	out := map[string]string{}
	if json.Unmarshal(b.fields[name], &s) == nil {
		if s != "" {
			out[primary] = s
		}
	} else if err := json.Unmarshal(b.fields[name], &out); err != nil {
		b.errs.add(name, "Value must be a string or dict of strings.")
		return nil
	}
	if len(out) > 50 {
		b.errs.add(name, "Ensure this field has no more than 50 languages.")
	}
	for lang, t := range out {
		if !langRe.MatchString(lang) {
			b.errs.add(name, "Not a valid ISO639-3 language code: "+lang)
		}
		if len([]rune(t)) > maxLen {
			b.errs.add(name, "Ensure translations have no more than "+itoa(maxLen)+" characters.")
		}
		if strings.TrimSpace(t) == "" {
			delete(out, lang)
		}
	}
	return out
}

// translatedLists reads a list of strings (the primary language) or {lang: [strings]}.
func translatedLists(b *body, name, primary string) map[string][]string {
	if !b.has(name) || b.isNull(name) {
		return nil
	}
	var l []string
	out := map[string][]string{}
	if json.Unmarshal(b.fields[name], &l) == nil {
		if len(l) > 0 {
			out[primary] = l
		}
	} else if err := json.Unmarshal(b.fields[name], &out); err != nil {
		b.errs.add(name, "Value must be a list or dict of lists.")
		return nil
	}
	for _, v := range out {
		if len(v) > 10 {
			b.errs.add(name, "Ensure this field has no more than 10 elements.")
		}
		for _, a := range v {
			if ct, url, ok := strings.Cut(a, ":"); !ok || !strings.Contains(ct, "/") || !strings.HasPrefix(url, "http") {
				b.errs.add(name, "Attachments must be content-type:url strings.")
			}
		}
	}
	return out
}
