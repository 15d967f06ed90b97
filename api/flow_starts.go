package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"careflow/runtime"
	"careflow/store"
)

// POST flow_starts.json starts a flow for groups, contacts and URNs with params (or the
// deprecated extra), as CHT's outbound push and RapidPro's clients send it.
func postFlowStart(c *call) error {
	b, err := c.readBody()
	if err != nil {
		return err
	}
	w, err := c.view()
	if err != nil {
		return err
	}
	flowRef := b.str("flow", 36, true)
	groupRefs := b.refList("groups")
	contactRefs := b.refList("contacts")
	urns := normalizeURNs(b, w, "urns", b.refList("urns"))
	restart := b.boolean("restart_participants", true)
	excludeActive := b.boolean("exclude_active", false)
	params, hasParams := b.object("params")
	extra, hasExtra := b.object("extra")
	if err := b.done(); err != nil {
		return err
	}
	f := w.Flows[strings.ToLower(flowRef)]
	if f == nil || f.Archived {
		b.errs.add("flow", "No such object: "+flowRef)
	}
	groups := resolveGroups(b, w, "groups", groupRefs)
	contacts, err := resolveContacts(c, b, w, "contacts", contactRefs)
	if err != nil {
		return err
	}
	if len(groupRefs)+len(contactRefs)+len(urns) == 0 && len(b.errs) == 0 {
		b.errs.add("non_field_errors", "Must specify at least one group, contact or URN")
	}
	if !hasParams && hasExtra {
		params, hasParams = normalizeExtra(extra), true
	}
	var raw json.RawMessage
	if hasParams {
		raw, _ = json.Marshal(params)
		if len(raw) > runtime.MaxParamsBytes {
			b.errs.add("params", "Cannot exceed 10,000 characters encoded.")
		}
	}
	if err := b.errs.err(); err != nil {
		return err
	}
	st := &store.FlowStart{WorkspaceID: c.ws.ID, FlowUUID: f.UUID, Type: "api", URNs: urns, Params: raw, CreatedBy: c.user,
		Exclusions: store.Exclusions{StartedPreviously: !restart, InAFlow: excludeActive}}
	if strings.Contains(c.r.UserAgent(), "Zapier") {
		st.Type = "zapier"
	}
	for _, g := range groups {
		st.GroupUUIDs = append(st.GroupUUIDs, g.UUID)
	}
	for _, ct := range contacts {
		st.ContactUUIDs = append(st.ContactUUIDs, ct.UUID)
	}
	if err := c.api.Runtime.StartFlow(c.ctx(), st); err != nil {
		return fromRuntime(err)
	}
	return c.ok(http.StatusCreated, startItem(st, w, contacts))
}

func startItem(st *store.FlowStart, w *runtime.Workspace, contacts []*store.Contact) map[string]any {
	flowRef := any(nil)
	if f := w.Flows[st.FlowUUID]; f != nil {
		flowRef = ref(f.UUID, f.Name)
	}
	groups := []any{}
	for _, u := range st.GroupUUIDs {
		if g := w.Group(u); g != nil {
			groups = append(groups, ref(g.UUID, g.Name))
		}
	}
	cs := []any{}
	for _, ct := range contacts {
		cs = append(cs, ref(ct.UUID, ct.Name))
	}
	var params any = map[string]any{}
	if len(st.Params) > 0 {
		params = st.Params
	}
	total, started := -1, 0
	if st.Status != store.StartPending && st.Status != "starting" {
		total, started = st.ContactCount, st.ContactCount-st.Remaining
	}
	status := st.Status
	if status == "starting" {
		status = store.StartPending
	}
	return map[string]any{
		"uuid": st.UUID, "flow": flowRef, "status": status,
		"progress": map[string]int{"total": total, "started": started},
		"groups":   groups, "contacts": cs, "params": params, "extra": params,
		"created_on": formatDate(st.CreatedOn), "modified_on": formatDate(st.ModifiedOn), "id": st.ID,
		"restart_participants": !st.Exclusions.StartedPreviously, "exclude_active": st.Exclusions.InAFlow,
	}
}

// GET flow_starts.json lists the starts users made (not those of triggers or flows), newest
// first: filters uuid, before/after (modified_on).
func listFlowStarts(c *call) error {
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	if _, err := c.intParam("id"); err != nil {
		return err
	}
	pr, err := c.pageReq()
	if err != nil {
		return err
	}
	win := c.window()
	w, err := c.view()
	if err != nil {
		return err
	}
	before := int64(0)
	if pr.at != nil {
		before = pr.at.Key.ID
	}
	var items []any
	var keys []cursorKey
	more := false
	// Starts made by flows and triggers are skipped, so the store is read in batches until a
	// page is full.
	for batches := 0; batches < 40 && !more; batches++ {
		list, err := c.api.Store.ListStarts(c.ctx(), c.ws.ID, before, 500)
		if err != nil {
			return err
		}
		for _, st := range list {
			before = st.ID
			if st.CreatedBy == "" || (st.Type != "api" && st.Type != "zapier" && st.Type != "manual") ||
				(uuid != "" && st.UUID != uuid) || !win.has(st.ModifiedOn) {
				continue
			}
			if len(items) == pr.size {
				more = true
				break
			}
			contacts, err := startContacts(c, st)
			if err != nil {
				return err
			}
			items = append(items, startItem(st, w, contacts))
			keys = append(keys, cursorKey{ID: st.ID})
		}
		if len(list) < 500 {
			break
		}
	}
	return c.pageForward(items, keys, more)
}

func startContacts(c *call, st *store.FlowStart) ([]*store.Contact, error) {
	if len(st.ContactUUIDs) == 0 {
		return nil, nil
	}
	ids, err := c.api.Store.FindContactIDs(c.ctx(), c.ws.ID, store.ContactFilter{UUIDs: st.ContactUUIDs})
	if err != nil {
		return nil, err
	}
	return c.api.Store.GetContacts(c.ctx(), c.ws.ID, ids)
}

var extraKeyRe = regexp.MustCompile(`[^a-zA-Z0-9_]`)

// normalizeExtra reshapes the deprecated extra as RapidPro's normalize_extra does: keys of
// [a-zA-Z0-9_] cut to 255, strings cut to 640, null as "", lists as objects keyed by index,
// and at most 256 values kept.
func normalizeExtra(in map[string]any) map[string]any {
	count := 0
	var norm func(v any) any
	norm = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			out := map[string]any{}
			for k, val := range x {
				if count >= 256 {
					break
				}
				key := extraKeyRe.ReplaceAllString(k, "_")
				if len(key) > 255 {
					key = key[:255]
				}
				out[key] = norm(val)
			}
			return out
		case []any:
			m := make(map[string]any, len(x))
			for i, val := range x {
				m[strconv.Itoa(i)] = val
			}
			return norm(m)
		case nil:
			count++
			return ""
		case string:
			count++
			if r := []rune(x); len(r) > 640 {
				return string(r[:640])
			}
			return x
		default:
			count++
			return x
		}
	}
	return norm(in).(map[string]any)
}
