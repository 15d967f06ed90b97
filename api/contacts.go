package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"careflow/engine"
	"careflow/runtime"
	"careflow/store"
)

// GET contacts.json: filters uuid, urn, group (UUID or name), deleted, before/after
// (modified_on), reverse, expand_urns; newest modified first, paged by keyset so the
// 100,000th contact costs what the first does.
func listContacts(c *call) error {
	if err := c.exclusive("uuid", "urn"); err != nil {
		return err
	}
	uuid, err := c.uuidParam("uuid")
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
	expand := c.boolParam("expand_urns")
	fields, err := c.api.Store.ListFields(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	item := func(ct *store.Contact) any { return contactItem(w, fields, ct, expand) }
	// Contacts are removed for good when deleted, so there are never deleted ones to list.
	if c.boolParam("deleted") {
		return c.page(nil, nil, false, pr)
	}
	if uuid != "" || c.param("urn") != "" {
		var list []*store.Contact
		ct, err := lookupContact(c, w)
		if err != nil && !errors.Is(err, errNotFound) {
			return err
		}
		if ct != nil {
			list = append(list, ct)
		}
		var items []any
		var keys []cursorKey
		for _, x := range list {
			items, keys = append(items, item(x)), append(keys, cursorKey{M: x.ModifiedOn.UnixMilli(), ID: x.ID})
		}
		return c.page(items, keys, false, pr)
	}
	q := store.ContactPage{Reverse: c.boolParam("reverse"), Limit: pr.size + 1}
	if g := c.param("group"); g != "" {
		grp := w.Group(strings.ToLower(g))
		if grp == nil {
			for _, x := range w.Groups {
				if strings.EqualFold(x.Name, g) {
					grp = x
				}
			}
		}
		if grp == nil {
			return c.page(nil, nil, false, pr)
		}
		q.GroupID = grp.ID
	}
	win := c.window()
	if win.empty {
		return c.page(nil, nil, false, pr)
	}
	q.ModifiedAfter, q.ModifiedBefore = win.after, win.before
	if pr.at != nil {
		q.AfterModified, q.AfterID = time.UnixMilli(pr.at.Key.M), pr.at.Key.ID
		if pr.back() {
			q.Reverse = !q.Reverse
		}
	}
	list, err := c.api.Store.ListContactsPage(c.ctx(), c.ws.ID, q)
	if err != nil {
		return err
	}
	more := len(list) > pr.size
	if more {
		list = list[:pr.size]
	}
	if pr.back() {
		for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
			list[i], list[j] = list[j], list[i]
		}
	}
	items := make([]any, len(list))
	keys := make([]cursorKey, len(list))
	for i, ct := range list {
		items[i], keys[i] = item(ct), cursorKey{M: ct.ModifiedOn.UnixMilli(), ID: ct.ID}
	}
	return c.page(items, keys, more, pr)
}

// lookupContact finds the contact named by ?uuid= or ?urn=; errNotFound when there is none.
func lookupContact(c *call, w *runtime.Workspace) (*store.Contact, error) {
	if uuid := c.param("uuid"); uuid != "" {
		if !isUUID(uuid) {
			return nil, errDetail(http.StatusBadRequest, "Param 'uuid': "+uuid+" is not a valid UUID.")
		}
		ct, err := c.api.Store.GetContactByUUID(c.ctx(), c.ws.ID, strings.ToLower(uuid))
		if errors.Is(err, store.ErrNotFound) {
			return nil, errNotFound
		}
		return ct, err
	}
	raw := c.param("urn")
	u, err := runtime.NormalizeURN(raw, w.Country)
	if err != nil {
		return nil, errDetail(http.StatusBadRequest, "Invalid URN: "+raw)
	}
	id, err := c.api.Store.ContactIDForURN(c.ctx(), c.ws.ID, u.Identity())
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	list, err := c.api.Store.GetContacts(c.ctx(), c.ws.ID, []int64{id})
	if err != nil || len(list) == 0 {
		return nil, errNotFound
	}
	return list[0], nil
}

func contactItem(w *runtime.Workspace, fields []*store.Field, ct *store.Contact, expand bool) map[string]any {
	urns := []any{}
	for _, u := range ct.URNs {
		if !expand {
			urns = append(urns, u.Identity)
			continue
		}
		scheme, path, _ := strings.Cut(u.Identity, ":")
		var ch, display any
		if u.ChannelUUID != "" {
			ch = ref(u.ChannelUUID, "")
			for _, x := range w.Channels {
				if x.UUID == u.ChannelUUID {
					ch = ref(x.UUID, x.Name)
				}
			}
		}
		if u.Display != "" {
			display = u.Display
		}
		urns = append(urns, map[string]any{"channel": ch, "scheme": scheme, "path": path, "display": display})
	}
	groups := []any{}
	for _, id := range ct.Groups {
		if g := w.GroupIDs[id]; g != nil {
			groups = append(groups, ref(g.UUID, g.Name))
		}
	}
	values := map[string]*engine.FieldValue{}
	if len(ct.Fields) > 0 {
		_ = json.Unmarshal(ct.Fields, &values)
	}
	fs := map[string]any{}
	for _, f := range fields {
		fs[f.Key] = fieldString(f, values[f.Key])
	}
	var flowRef, name, lang any
	if f := w.Flows[ct.CurrentFlowUUID]; f != nil && ct.CurrentFlowUUID != "" {
		flowRef = ref(f.UUID, f.Name)
	}
	if ct.Name != "" {
		name = ct.Name
	}
	if ct.Language != "" {
		lang = ct.Language
	}
	return map[string]any{
		"uuid": ct.UUID, "name": name, "status": ct.Status, "language": lang, "urns": urns, "groups": groups,
		"notes": []any{}, "fields": fs, "flow": flowRef, "created_on": formatDate(ct.CreatedOn),
		"modified_on": formatDate(ct.ModifiedOn), "last_seen_on": dateOrNil(ct.LastSeenOn),
		"blocked": ct.Status == "blocked", "stopped": ct.Status == "stopped",
	}
}

// fieldString is a field's value as the API shows it: a string in the field's type, or nil.
func fieldString(f *store.Field, v *engine.FieldValue) any {
	if v == nil {
		return nil
	}
	switch {
	case f.Type == "number" && v.Number != nil:
		return v.Number.String()
	case f.Type == "datetime" && v.Datetime != nil:
		return v.Datetime.UTC().Format("2006-01-02T15:04:05.000000Z07:00")
	case f.Type == "state" && v.State != "":
		return v.State
	case f.Type == "district" && v.District != "":
		return v.District
	case f.Type == "ward" && v.Ward != "":
		return v.Ward
	}
	if v.Text == "" {
		return nil
	}
	return v.Text
}

var langRe = regexp.MustCompile(`^[a-z]{3}$`)

// POST contacts.json creates a contact; with ?uuid= or ?urn= it updates that contact (only the
// keys the body names), and ?urn= naming no contact creates one with that URN.
func postContact(c *call) error {
	if err := c.exclusive("uuid", "urn"); err != nil {
		return errDetail(http.StatusBadRequest, "URL can only contain one of the following parameters: urn, uuid")
	}
	w, err := c.view()
	if err != nil {
		return err
	}
	var lookupURN string
	var existing *store.Contact
	if c.param("uuid") != "" || c.param("urn") != "" {
		existing, err = lookupContact(c, w)
		if err != nil && !errors.Is(err, errNotFound) {
			return err
		}
		if existing == nil {
			if c.param("uuid") != "" {
				return errNotFound
			}
			u, _ := runtime.NormalizeURN(c.param("urn"), w.Country)
			lookupURN = u.Identity()
		}
	}
	b, err := c.readBody()
	if err != nil {
		return err
	}
	name := b.str("name", 64, false)
	lang := b.str("language", 3, false)
	if lang != "" && !langRe.MatchString(lang) {
		b.errs.add("language", "Not a valid ISO639-3 language code.")
	}
	if b.has("urns") && c.param("urn") != "" {
		b.errs.add("urns", "Field not allowed when using URN in URL")
	}
	urns := normalizeURNs(b, w, "urns", b.refList("urns"))
	if lookupURN != "" {
		urns = []string{lookupURN}
	}
	groups := resolveGroups(b, w, "groups", b.refList("groups"))
	for _, g := range groups {
		if g.Query != "" {
			b.errs.add("groups", "Contact group must not be query based: "+g.Name)
		}
	}
	values := contactFieldValues(c, b)
	if err := b.done(); err != nil {
		return err
	}
	for i, u := range urns {
		if id, err := c.api.Store.ContactIDForURN(c.ctx(), c.ws.ID, u); err == nil && (existing == nil || id != existing.ID) {
			b.errs.addIndexed("urns", i, "URN is in use by another contact.")
		}
	}
	if existing != nil && len(groups) > 0 && existing.Status != "active" {
		b.errs.add("groups", "Non-active contacts cannot be added to groups")
	}
	if err := b.errs.err(); err != nil {
		return err
	}
	fields, err := c.api.Store.ListFields(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	if existing != nil {
		var mods []json.RawMessage
		if b.has("name") {
			mods = append(mods, mod(map[string]any{"type": "name", "name": strings.TrimSpace(name)}))
		}
		if b.has("language") {
			mods = append(mods, mod(map[string]any{"type": "language", "language": lang}))
		}
		if b.has("urns") {
			mods = append(mods, mod(map[string]any{"type": "urns", "urns": urns, "modification": "set"}))
		}
		if b.has("groups") {
			mods = append(mods, groupSetModifiers(w, existing, groups)...)
		}
		for k, v := range values {
			text := ""
			if v != nil {
				text = v.Text
			}
			mods = append(mods, mod(map[string]any{"type": "field", "field": map[string]string{"key": k, "name": k}, "value": text}))
		}
		if len(mods) > 0 {
			if err := modifyContacts(c, []*store.Contact{existing}, runtime.ModifyPayload{Modifiers: mods}); err != nil {
				return err
			}
		}
		ct, err := reloadContact(c, existing)
		if err != nil {
			return err
		}
		return c.ok(http.StatusOK, contactItem(w, fields, ct, false))
	}
	ct := &store.Contact{WorkspaceID: c.ws.ID, UUID: runtime.NewUUID(), Name: strings.TrimSpace(name), Language: lang,
		Status: "active"}
	for _, u := range urns {
		ct.URNs = append(ct.URNs, store.ContactURN{Identity: u})
	}
	for _, g := range groups {
		ct.Groups = append(ct.Groups, g.ID)
	}
	set := map[string]*engine.FieldValue{}
	for k, v := range values {
		if v != nil {
			set[k] = v
		}
	}
	if len(set) > 0 {
		ct.Fields, _ = json.Marshal(set)
	}
	// The runtime evaluates its smart groups and schedules its campaigns in the insert's
	// transaction.
	if err := c.api.Runtime.CreateContact(c.ctx(), ct); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return &apiError{http.StatusBadRequest, map[string]any{"urns": map[string][]string{"0": {"URN is in use by another contact."}}}}
		}
		return err
	}
	return c.ok(http.StatusCreated, contactItem(w, fields, ct, false))
}

// groupSetModifiers makes the contact's manual groups exactly groups.
func groupSetModifiers(w *runtime.Workspace, ct *store.Contact, groups []*store.Group) []json.RawMessage {
	want := map[int64]bool{}
	var add, remove []map[string]string
	for _, g := range groups {
		want[g.ID] = true
		add = append(add, ref(g.UUID, g.Name))
	}
	for _, id := range ct.Groups {
		if g := w.GroupIDs[id]; g != nil && g.Query == "" && !want[id] {
			remove = append(remove, ref(g.UUID, g.Name))
		}
	}
	var out []json.RawMessage
	if len(remove) > 0 {
		out = append(out, mod(map[string]any{"type": "groups", "groups": remove, "modification": "remove"}))
	}
	if len(add) > 0 {
		out = append(out, mod(map[string]any{"type": "groups", "groups": add, "modification": "add"}))
	}
	return out
}

// DELETE contacts.json?uuid= or ?urn= removes a contact: its waiting session is interrupted
// through its task queue first, then the contact and everything of it is deleted.
func deleteContact(c *call) error {
	if c.param("uuid") == "" && c.param("urn") == "" {
		return errDetail(http.StatusBadRequest, "URL must contain one of the following parameters: urn, uuid")
	}
	if err := c.exclusive("uuid", "urn"); err != nil {
		return errDetail(http.StatusBadRequest, "URL can only contain one of the following parameters: urn, uuid")
	}
	w, err := c.view()
	if err != nil {
		return err
	}
	ct, err := lookupContact(c, w)
	if err != nil {
		return err
	}
	if err := modifyContacts(c, []*store.Contact{ct}, runtime.ModifyPayload{Interrupt: true}); err != nil {
		return err
	}
	if err := c.api.Store.DeleteContact(c.ctx(), c.ws.ID, ct.ID); err != nil {
		return fromRuntime(err)
	}
	writeJSON(c.w, http.StatusNoContent, nil)
	return nil
}

// contactFieldValues reads "fields": key → string or null, for known field keys only.
func contactFieldValues(c *call, b *body) map[string]*engine.FieldValue {
	if !b.has("fields") || b.isNull("fields") {
		return nil
	}
	var raw map[string]*string
	if err := json.Unmarshal(b.fields["fields"], &raw); err != nil {
		b.errs.add("fields", "Must be an object with string or null values.")
		return nil
	}
	if len(raw) > 100 {
		b.errs.add("fields", "Ensure this field has no more than 100 elements.")
		return nil
	}
	known, err := c.api.Store.ListFields(c.ctx(), c.ws.ID)
	if err != nil {
		return nil
	}
	byKey := map[string]*store.Field{}
	for _, f := range known {
		byKey[f.Key] = f
	}
	out := map[string]*engine.FieldValue{}
	for k, v := range raw {
		f := byKey[k]
		if f == nil {
			b.errs.add("fields", "Invalid contact field key: "+k)
			continue
		}
		if v == nil || *v == "" {
			out[k] = nil
			continue
		}
		if len([]rune(*v)) > 640 || strings.ContainsRune(*v, 0) {
			b.errs.add("fields", "Values must be at most 640 characters without null characters.")
			continue
		}
		fv := &engine.FieldValue{Text: *v}
		if d, err := decimal.NewFromString(strings.TrimSpace(*v)); err == nil {
			fv.Number = &d
		}
		if t, ok := parseISODate(strings.TrimSpace(*v)); ok {
			fv.Datetime = &t
		}
		out[k] = fv
	}
	return out
}
