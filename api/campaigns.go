package api

import (
	"net/http"
	"sort"
	"strings"

	"careflow/runtime"
	"careflow/store"
)

// GET campaigns.json: filter uuid; archived campaigns are left out, as RapidPro does; newest
// first.
func listCampaigns(c *call) error {
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	w, err := c.view()
	if err != nil {
		return err
	}
	list, err := c.api.Store.ListCampaigns(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].ID > list[j].ID })
	var items []any
	var keys []cursorKey
	for _, x := range list {
		if x.Archived || (uuid != "" && x.UUID != uuid) {
			continue
		}
		items = append(items, campaignItem(w, x))
		keys = append(keys, cursorKey{ID: x.ID})
	}
	return c.slicePage(items, func(i int) cursorKey { return keys[i] })
}

func campaignItem(w *runtime.Workspace, x *store.Campaign) map[string]any {
	var group any
	if g := w.GroupIDs[x.GroupID]; g != nil {
		group = ref(g.UUID, g.Name)
	}
	return map[string]any{"uuid": x.UUID, "name": x.Name, "archived": x.Archived, "group": group, "created_on": formatDate(x.CreatedOn)}
}

// POST campaigns.json creates a campaign from name and group (UUID or name); ?uuid= renames
// one or moves it to another group, which reschedules its events for the new members.
func postCampaign(c *call) error {
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	b, err := c.readBody()
	if err != nil {
		return err
	}
	name := strings.TrimSpace(b.str("name", 255, true))
	groupRef := strings.TrimSpace(b.str("group", 255, true))
	w, err := c.view()
	if err != nil {
		return err
	}
	var group *store.Group
	if groupRef != "" {
		if gs := resolveGroups(b, w, "group", []string{groupRef}); len(gs) == 1 {
			group = gs[0]
		}
	}
	if err := b.done(); err != nil {
		return err
	}
	list, err := c.api.Store.ListCampaigns(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	var found *store.Campaign
	for _, x := range list {
		if uuid != "" && x.UUID == uuid {
			found = x
		} else if strings.EqualFold(x.Name, name) {
			return fieldErr("name", "Must be unique.")
		}
	}
	if c.param("uuid") != "" {
		// An archived campaign is not in the list this endpoint serves, so it cannot be
		// written through it either.
		if found == nil || found.Archived {
			return errNotFound
		}
		x, err := c.api.Runtime.UpdateCampaign(c.ctx(), c.ws.ID, found.UUID, name, group.UUID)
		if err != nil {
			return fromRuntime(err)
		}
		return c.campaignOK(http.StatusOK, x)
	}
	x, err := c.api.Runtime.CreateCampaign(c.ctx(), c.ws.ID, name, group.UUID)
	if err != nil {
		return fromRuntime(err)
	}
	return c.campaignOK(http.StatusCreated, x)
}

// campaignOK answers with the campaign as the refreshed workspace sees it (a new group is
// resolved from the view the write invalidated).
func (c *call) campaignOK(status int, x *store.Campaign) error {
	w, err := c.view()
	if err != nil {
		return err
	}
	return c.ok(status, campaignItem(w, x))
}
