package api

import (
	"errors"
	"strings"

	"careflow/runtime"
	"careflow/store"
)

// Reference resolution shared by the writing endpoints: every name a body gives is checked
// against the caller's workspace before anything is written.

// resolveGroups maps group UUIDs or names to groups; unknown ones are field errors.
func resolveGroups(b *body, w *runtime.Workspace, field string, refs []string) []*store.Group {
	var out []*store.Group
	for _, ref := range refs {
		g := w.Group(strings.ToLower(ref))
		if g == nil {
			for _, x := range w.Groups {
				if strings.EqualFold(x.Name, ref) {
					g = x
					break
				}
			}
		}
		if g == nil {
			b.errs.add(field, "No such object: "+ref)
			return nil
		}
		out = append(out, g)
	}
	return out
}

// resolveContacts maps contact UUIDs or URNs to contacts of the workspace.
func resolveContacts(c *call, b *body, w *runtime.Workspace, field string, refs []string) ([]*store.Contact, error) {
	var ids []int64
	for _, ref := range refs {
		var id int64
		if isUUID(ref) {
			found, err := c.api.Store.FindContactIDs(c.ctx(), w.ID, store.ContactFilter{UUIDs: []string{strings.ToLower(ref)}})
			if err != nil {
				return nil, err
			}
			if len(found) == 1 {
				id = found[0]
			}
		} else if u, err := runtime.NormalizeURN(ref, w.Country); err == nil {
			found, err := c.api.Store.ContactIDForURN(c.ctx(), w.ID, u.Identity())
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
			id = found
		}
		if id == 0 {
			b.errs.add(field, "No such object: "+ref)
			return nil, nil
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return c.api.Store.GetContacts(c.ctx(), w.ID, ids)
}

// normalizeURNs checks and normalises URNs with the workspace's country; bad ones are
// reported by index, as RapidPro does.
func normalizeURNs(b *body, w *runtime.Workspace, field string, raw []string) []string {
	out := make([]string, 0, len(raw))
	for i, r := range raw {
		u, err := runtime.NormalizeURN(r, w.Country)
		if err != nil {
			b.errs.addIndexed(field, i, "Invalid URN: "+r+". Ensure phone numbers contain country codes.")
			continue
		}
		out = append(out, u.Identity())
	}
	return out
}

func ref(uuid, name string) map[string]string { return map[string]string{"uuid": uuid, "name": name} }
