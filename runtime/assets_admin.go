package runtime

import (
	"context"
	"regexp"
	"strings"

	"careflow/engine"
	"careflow/store"
)

// Limits on globals (runtime.md §5).
const (
	MaxGlobals          = 250
	MaxGlobalValueChars = 10000
)

var globalKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,35}$`)

// SetGlobal validates and stores a global; running sessions see the new value from their next
// sprint.
func (r *Runtime) SetGlobal(ctx context.Context, g *store.Global) error {
	if !globalKeyRE.MatchString(g.Key) {
		return invalid("key: %q must start with a letter and have only a-z, 0-9 and _ (at most 36)", g.Key)
	}
	if g.Name == "" {
		g.Name = g.Key
	}
	if len(g.Name) > 36 {
		return invalid("name: at most 36 characters")
	}
	if len([]rune(g.Value)) > MaxGlobalValueChars {
		return invalid("value: at most %d characters", MaxGlobalValueChars)
	}
	list, err := r.Store.ListGlobals(ctx, g.WorkspaceID)
	if err != nil {
		return err
	}
	exists := false
	for _, e := range list {
		exists = exists || e.Key == g.Key
	}
	if !exists && len(list) >= MaxGlobals {
		return invalid("a workspace has at most %d globals", MaxGlobals)
	}
	g.ModifiedOn = r.Clock.Now()
	if err := r.Store.SetGlobal(ctx, g); err != nil {
		return err
	}
	r.Invalidate(g.WorkspaceID)
	return nil
}

// SaveGroup validates and stores a group; a smart group's members are then recomputed from its
// query over every contact.
func (r *Runtime) SaveGroup(ctx context.Context, g *store.Group) error {
	g.Name = strings.TrimSpace(g.Name)
	if g.Name == "" || len(g.Name) > 64 {
		return invalid("name: a group needs a name of at most 64 characters")
	}
	w, err := r.Workspace(ctx, g.WorkspaceID)
	if err != nil {
		return err
	}
	if g.Query != "" {
		if _, err := w.Assets.ParseQuery(w.Env, g.Query); err != nil {
			return invalid("query: %s", err.Error())
		}
		g.Status = "evaluating"
	} else if g.Status == "" {
		g.Status = "ready"
	}
	if g.UUID == "" {
		g.UUID = NewUUID()
	}
	if g.CreatedOn.IsZero() {
		g.CreatedOn = r.Clock.Now()
	}
	if err := r.Store.SaveGroup(ctx, g); err != nil {
		return err
	}
	r.Invalidate(g.WorkspaceID)
	if g.Query == "" {
		return nil
	}
	return r.PopulateSmartGroup(ctx, g)
}

// PopulateSmartGroup recomputes a smart group's members from its query: the active contacts
// that match it, as the engine keeps them (contactql.InGroup).
func (r *Runtime) PopulateSmartGroup(ctx context.Context, g *store.Group) error {
	w, err := r.Workspace(ctx, g.WorkspaceID)
	if err != nil {
		return err
	}
	ids, err := r.queryContacts(ctx, w, g.Query, true)
	if err != nil {
		return err
	}
	// Contacts joining or leaving have their campaign fires moved in the membership's
	// transaction.
	_, _, err = r.Store.SetGroupMembers(ctx, g.ID, ids, w.groupReschedule(g.ID, r.Clock.Now()))
	r.Invalidate(g.WorkspaceID)
	return err
}

// hasSmartGroups says whether any group of the workspace is query based.
func (w *Workspace) hasSmartGroups() bool {
	for _, g := range w.Groups {
		if g.Query != "" {
			return true
		}
	}
	return false
}

// refreshSmartGroups brings the contact's smart group memberships up to date (new contacts,
// and contacts changed since a group's query was evaluated).
func (cs *contactScene) refreshSmartGroups() {
	if cs.w.hasSmartGroups() {
		engine.ReevaluateGroups(cs.ec, cs.w.Assets, cs.w.Env)
	}
}
