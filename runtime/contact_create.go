package runtime

import (
	"context"

	"careflow/engine"
	"careflow/store"
)

// CreateContact creates a contact made outside any flow (the API's contacts.json). It joins
// the smart groups whose queries it matches, and the fires of the campaigns on its groups are
// written in the transaction that inserts it, so no contact exists unscheduled.
func (r *Runtime) CreateContact(ctx context.Context, c *store.Contact) error {
	w, err := r.Workspace(ctx, c.WorkspaceID)
	if err != nil {
		return err
	}
	now := r.Clock.Now()
	if c.CreatedOn.IsZero() {
		c.CreatedOn = now
	}
	if c.ModifiedOn.IsZero() {
		c.ModifiedOn = c.CreatedOn
	}
	if c.Status == "" {
		c.Status = engine.StatusActive
	}
	if w.hasSmartGroups() {
		ec, err := w.engineContact(c)
		if err != nil {
			return err
		}
		engine.ReevaluateGroups(ec, w.Assets, w.Env)
		in := map[int64]bool{}
		for _, id := range c.Groups {
			in[id] = true
		}
		for _, g := range ec.Groups {
			if sg := w.Groups[g.UUID]; sg != nil && sg.Query != "" && !in[sg.ID] {
				c.Groups = append(c.Groups, sg.ID)
				in[sg.ID] = true
			}
		}
	}
	return r.Store.CreateContact(ctx, c, w.reschedule(now))
}
