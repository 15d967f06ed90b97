package runtime

import (
	"context"
	"slices"

	"careflow/contactql"
	"careflow/engine"
	"careflow/store"
)

// Contact queries run in the database (store.ContactStore.QueryContacts): it selects the
// candidates, and those it isn't sure of are evaluated here with contactql, which stays the
// reference, so the answer is the same as evaluating the query on every contact.

// queryMatches evaluates a parsed query on a stored contact, as the engine sees it here.
func (w *Workspace) queryMatches(c *store.Contact, q *contactql.Query) bool {
	ec, err := w.engineContact(c)
	return err == nil && engine.QueryMatchesWaiting(w.Env, ec, c.CurrentFlowUUID, q)
}

// groupIDs maps the workspace's group UUIDs to their stored IDs, for group conditions.
func (w *Workspace) groupIDs() map[string]int64 {
	out := make(map[string]int64, len(w.Groups))
	for uuid, g := range w.Groups {
		out[uuid] = g.ID
	}
	return out
}

// SearchContacts returns up to limit contacts of the workspace that match q, with IDs above
// after, ascending: the console's keyset-paged search.
func (r *Runtime) SearchContacts(ctx context.Context, w *Workspace, q *contactql.Query, after int64, limit int) ([]*store.Contact, error) {
	var out []*store.Contact
	groups := w.groupIDs()
	for len(out) < limit {
		batch := max(2*(limit-len(out)), 64)
		cands, err := r.Store.QueryContacts(ctx, w.ID, store.ContactQuery{Query: q, Groups: groups, AfterID: after, Limit: batch})
		if err != nil || len(cands) == 0 {
			return out, err
		}
		sure := make(map[int64]bool, len(cands))
		ids := make([]int64, len(cands))
		for i, c := range cands {
			ids[i], sure[c.ID] = c.ID, c.Sure
		}
		cs, err := r.Store.GetContacts(ctx, w.ID, ids)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if sure[c.ID] || w.queryMatches(c, q) {
				if out = append(out, c); len(out) == limit {
					return out, nil
				}
			}
		}
		if len(cands) < batch {
			return out, nil
		}
		after = cands[len(cands)-1].ID
	}
	return out, nil
}

// queryContactIDs returns the IDs of every contact of the workspace that matches q (only
// active ones with active), ascending; only the contacts the database isn't sure of are
// loaded.
func (r *Runtime) queryContactIDs(ctx context.Context, w *Workspace, q *contactql.Query, active bool) ([]int64, error) {
	cands, err := r.Store.QueryContacts(ctx, w.ID, store.ContactQuery{Query: q, Groups: w.groupIDs(), Active: active})
	if err != nil {
		return nil, err
	}
	var out, unsure []int64
	for _, c := range cands {
		if c.Sure {
			out = append(out, c.ID)
		} else {
			unsure = append(unsure, c.ID)
		}
	}
	const chunk = 1000
	for i := 0; i < len(unsure); i += chunk {
		cs, err := r.Store.GetContacts(ctx, w.ID, unsure[i:min(i+chunk, len(unsure))])
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if w.queryMatches(c, q) && (!active || c.Status == "active") {
				out = append(out, c.ID)
			}
		}
	}
	if len(unsure) > 0 {
		slices.Sort(out)
	}
	return out, nil
}
