package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"careflow/store"
)

// Limits on what one start or broadcast names explicitly (RapidPro's API limits).
const (
	MaxStartContacts = 100
	MaxStartGroups   = 100
	MaxStartURNs     = 100
	MaxParamsBytes   = 10000
	// startedPreviouslyWindow is how far back "started previously" looks (runtime.md §1).
	startedPreviouslyWindow = 90 * 24 * time.Hour
)

// Recipients is who a start or broadcast is for.
type Recipients struct {
	ContactUUIDs []string
	GroupUUIDs   []string
	URNs         []string
	Query        string
}

// checkRecipients validates recipients and normalises their URNs; it returns a 4xx-worthy
// error naming the first problem.
func (r *Runtime) checkRecipients(ctx context.Context, w *Workspace, rc *Recipients) error {
	if len(rc.ContactUUIDs) > MaxStartContacts {
		return invalid("contacts: ensure this field has no more than %d elements", MaxStartContacts)
	}
	if len(rc.GroupUUIDs) > MaxStartGroups {
		return invalid("groups: ensure this field has no more than %d elements", MaxStartGroups)
	}
	if len(rc.URNs) > MaxStartURNs {
		return invalid("urns: ensure this field has no more than %d elements", MaxStartURNs)
	}
	for _, g := range rc.GroupUUIDs {
		if w.Group(g) == nil {
			return invalid("groups: no such object: %s", g)
		}
	}
	if len(rc.ContactUUIDs) > 0 {
		ids, err := r.Store.FindContactIDs(ctx, w.ID, store.ContactFilter{UUIDs: rc.ContactUUIDs})
		if err != nil {
			return err
		}
		if len(ids) != len(uniqueStrings(rc.ContactUUIDs)) {
			return invalid("contacts: one or more contacts do not exist")
		}
	}
	for i, raw := range rc.URNs {
		u, err := NormalizeURN(raw, w.Country)
		if err != nil {
			return invalid("urns: %s", err.Error())
		}
		rc.URNs[i] = u.Identity()
	}
	if rc.Query != "" {
		if _, err := w.Assets.ParseQuery(w.Env, rc.Query); err != nil {
			return invalid("query: %s", err.Error())
		}
	}
	return nil
}

func uniqueStrings(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// StartFlow validates and stores a flow start; resolving its contacts and starting them
// happens in the background (statuses pending → queued → started → completed).
func (r *Runtime) StartFlow(ctx context.Context, st *store.FlowStart) error {
	w, err := r.Workspace(ctx, st.WorkspaceID)
	if err != nil {
		return err
	}
	f := w.Flows[st.FlowUUID]
	if f == nil {
		return invalid("flow: no such object: %s", st.FlowUUID)
	}
	if f.Archived {
		return invalid("flow: flow is archived: %s", f.Name)
	}
	if len(st.Params) > MaxParamsBytes {
		return invalid("params: must be at most %d characters when encoded", MaxParamsBytes)
	}
	if len(st.Params) > 0 {
		var obj map[string]any
		if err := json.Unmarshal(st.Params, &obj); err != nil {
			return invalid("params: must be a JSON object")
		}
	}
	rc := &Recipients{ContactUUIDs: st.ContactUUIDs, GroupUUIDs: st.GroupUUIDs, URNs: st.URNs, Query: st.Query}
	if err := r.checkRecipients(ctx, w, rc); err != nil {
		return err
	}
	if len(rc.ContactUUIDs)+len(rc.GroupUUIDs)+len(rc.URNs) == 0 && rc.Query == "" {
		return invalid("non_field_errors: must specify at least one group, contact, URN or query")
	}
	now := r.Clock.Now()
	st.Status, st.CreatedOn, st.ModifiedOn = store.StartPending, now, now
	if st.UUID == "" {
		st.UUID = NewUUID()
	}
	if st.Type == "" {
		st.Type = "api"
	}
	if err := r.Store.CreateStart(ctx, st); err != nil {
		return err
	}
	r.wakeResolvers()
	return nil
}

// Broadcast validates and stores a broadcast to send in the background.
func (r *Runtime) Broadcast(ctx context.Context, b *store.Broadcast) error {
	w, err := r.Workspace(ctx, b.WorkspaceID)
	if err != nil {
		return err
	}
	var trs map[string]json.RawMessage
	if err := json.Unmarshal(b.Translations, &trs); err != nil || len(trs) == 0 {
		return invalid("text: this field is required")
	}
	if b.BaseLanguage == "" {
		for lang := range trs {
			b.BaseLanguage = lang
			break
		}
	}
	if _, ok := trs[b.BaseLanguage]; !ok {
		return invalid("base_language: no translation in the base language %q", b.BaseLanguage)
	}
	rc := &Recipients{ContactUUIDs: b.ContactUUIDs, GroupUUIDs: b.GroupUUIDs, URNs: b.URNs, Query: b.Query}
	if err := r.checkRecipients(ctx, w, rc); err != nil {
		return err
	}
	if len(rc.ContactUUIDs)+len(rc.GroupUUIDs)+len(rc.URNs) == 0 && rc.Query == "" {
		return invalid("non_field_errors: must specify at least one group, contact, URN or query")
	}
	now := r.Clock.Now()
	b.Status, b.CreatedOn, b.ModifiedOn = store.StartPending, now, now
	if b.UUID == "" {
		b.UUID = NewUUID()
	}
	if err := r.Store.CreateBroadcast(ctx, b); err != nil {
		return err
	}
	r.wakeResolvers()
	return nil
}

// resolve turns recipients into contact IDs (runtime.md §1): explicit contacts and URNs
// (creating contacts for unknown URNs) are used as they are when there are no groups, query or
// exclusions; otherwise everything is filtered to active contacts passing the exclusions, except
// contacts just created for URNs, which only not-seen-since can exclude.
func (r *Runtime) resolve(ctx context.Context, w *Workspace, rc *Recipients, ex store.Exclusions, excludeGroups []string, flowUUID string) ([]int64, error) {
	now := r.Clock.Now()
	var explicit []int64
	if len(rc.ContactUUIDs) > 0 {
		ids, err := r.Store.FindContactIDs(ctx, w.ID, store.ContactFilter{UUIDs: rc.ContactUUIDs})
		if err != nil {
			return nil, err
		}
		explicit = append(explicit, ids...)
	}
	var created []int64
	if len(rc.URNs) > 0 {
		reqs := make([]store.NewContactURN, len(rc.URNs))
		for i, u := range rc.URNs {
			reqs[i] = store.NewContactURN{Identity: u}
		}
		ids, isNew, err := r.Store.GetOrCreateContacts(ctx, w.ID, reqs, now)
		if err != nil {
			return nil, err
		}
		for i, id := range ids {
			if isNew[i] {
				created = append(created, id)
			} else {
				explicit = append(explicit, id)
			}
		}
	}
	filtered := len(rc.GroupUUIDs) > 0 || rc.Query != "" || ex != (store.Exclusions{}) || len(excludeGroups) > 0
	if !filtered {
		return uniqueIDs(append(explicit, created...)), nil
	}
	f := store.ContactFilter{Active: true, NotInFlow: ex.InAFlow}
	if ex.StartedPreviously && flowUUID != "" {
		f.NotStartedFlow, f.NotStartedSince = flowUUID, now.Add(-startedPreviouslyWindow)
	}
	if ex.NotSeenSinceDays > 0 {
		f.SeenSince = now.Add(-time.Duration(ex.NotSeenSinceDays) * 24 * time.Hour)
	}
	for _, g := range excludeGroups {
		if grp := w.Group(g); grp != nil {
			f.ExcludeGroups = append(f.ExcludeGroups, grp.ID)
		}
	}
	var out []int64
	if len(rc.GroupUUIDs) > 0 {
		gf := f
		for _, g := range rc.GroupUUIDs {
			if grp := w.Group(g); grp != nil {
				gf.Groups = append(gf.Groups, grp.ID)
			}
		}
		ids, err := r.Store.FindContactIDs(ctx, w.ID, gf)
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
	}
	if len(explicit) > 0 {
		ef := f
		ef.IDs = explicit
		ids, err := r.Store.FindContactIDs(ctx, w.ID, ef)
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
	}
	if len(created) > 0 {
		if f.SeenSince.IsZero() {
			out = append(out, created...)
		}
	}
	if rc.Query != "" {
		ids, err := r.queryContacts(ctx, w, rc.Query, false)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			allowed, err := r.Store.FindContactIDs(ctx, w.ID, f)
			if err != nil {
				return nil, err
			}
			ok := make(map[int64]bool, len(allowed))
			for _, id := range allowed {
				ok[id] = true
			}
			for _, id := range ids {
				if ok[id] {
					out = append(out, id)
				}
			}
		}
	}
	return uniqueIDs(out), nil
}

// queryContacts returns the contacts of the workspace that match a query (only active ones
// with active, as for a smart group's members).
func (r *Runtime) queryContacts(ctx context.Context, w *Workspace, query string, active bool) ([]int64, error) {
	q, err := w.Assets.ParseQuery(w.Env, query)
	if err != nil {
		return nil, invalid("query: %s", err.Error())
	}
	return r.queryContactIDs(ctx, w, q, active)
}

func uniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (r *Runtime) wakeResolvers() {
	select {
	case r.resolverWake <- struct{}{}:
	default:
	}
}

// startResolver resolves pending flow starts into contact tasks, one at a time per node.
func (r *Runtime) startResolver(ctx context.Context) {
	for ctx.Err() == nil {
		now := r.Clock.Now()
		st, err := r.Store.ClaimPendingStart(ctx, r.owner, now, now.Add(r.Config.LeaseFor))
		if err != nil && ctx.Err() == nil {
			r.Log.Error("claiming flow start", "error", err)
		}
		if st == nil || err != nil {
			if !sleep(ctx, time.Second, r.resolverWake) {
				return
			}
			continue
		}
		if err := r.resolveStart(ctx, st); err != nil {
			r.Log.Error("resolving flow start", "start", st.UUID, "error", err)
			if ferr := r.Store.FailStart(context.WithoutCancel(ctx), st.ID, err.Error(), r.Clock.Now()); ferr != nil {
				r.Log.Error("failing flow start", "start", st.UUID, "error", ferr)
			}
		}
	}
}

func (r *Runtime) resolveStart(ctx context.Context, st *store.FlowStart) error {
	w, err := r.Workspace(ctx, st.WorkspaceID)
	if err != nil {
		return err
	}
	rc := &Recipients{ContactUUIDs: st.ContactUUIDs, GroupUUIDs: st.GroupUUIDs, URNs: st.URNs, Query: st.Query}
	ids, err := r.resolve(ctx, w, rc, st.Exclusions, st.ExcludeGroups, st.FlowUUID)
	if err != nil {
		return err
	}
	if err := r.Store.QueueStart(ctx, st.ID, ids, r.Clock.Now()); err != nil {
		return err
	}
	r.Wake()
	return nil
}

// broadcastResolver resolves pending broadcasts into contact tasks.
func (r *Runtime) broadcastResolver(ctx context.Context) {
	for ctx.Err() == nil {
		now := r.Clock.Now()
		b, err := r.Store.ClaimPendingBroadcast(ctx, r.owner, now, now.Add(r.Config.LeaseFor))
		if err != nil && ctx.Err() == nil {
			r.Log.Error("claiming broadcast", "error", err)
		}
		if b == nil || err != nil {
			if !sleep(ctx, time.Second, r.resolverWake) {
				return
			}
			continue
		}
		if err := r.resolveBroadcast(ctx, b); err != nil && !errors.Is(err, context.Canceled) {
			r.Log.Error("resolving broadcast", "broadcast", b.UUID, "error", err)
			if ferr := r.Store.FailBroadcast(context.WithoutCancel(ctx), b.ID, err.Error(), r.Clock.Now()); ferr != nil {
				r.Log.Error("failing broadcast", "broadcast", b.UUID, "error", ferr)
			}
		}
	}
}

func (r *Runtime) resolveBroadcast(ctx context.Context, b *store.Broadcast) error {
	w, err := r.Workspace(ctx, b.WorkspaceID)
	if err != nil {
		return err
	}
	rc := &Recipients{ContactUUIDs: b.ContactUUIDs, GroupUUIDs: b.GroupUUIDs, URNs: b.URNs, Query: b.Query}
	ids, err := r.resolve(ctx, w, rc, store.Exclusions{}, nil, "")
	if err != nil {
		return err
	}
	if err := r.Store.QueueBroadcast(ctx, b.ID, ids, r.Clock.Now()); err != nil {
		return err
	}
	r.Wake()
	return nil
}
