package api

import (
	"errors"
	"net/http"
	"sort"
	"strings"

	"careflow/store"
)

// GET groups.json: filters uuid or name (case-insensitive), manual_only; newest first.
func listGroups(c *call) error {
	if err := c.exclusive("uuid", "name"); err != nil {
		return err
	}
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	name, manual := c.param("name"), c.boolParam("manual_only")
	list, err := c.api.Store.ListGroups(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].ID > list[j].ID })
	var items []any
	var keys []cursorKey
	for _, g := range list {
		if (uuid != "" && g.UUID != uuid) || (name != "" && !strings.EqualFold(g.Name, name)) || (manual && g.Query != "") {
			continue
		}
		item, err := groupItem(c, g)
		if err != nil {
			return err
		}
		items = append(items, item)
		keys = append(keys, cursorKey{ID: g.ID})
	}
	return c.slicePage(items, func(i int) cursorKey { return keys[i] })
}

func groupItem(c *call, g *store.Group) (map[string]any, error) {
	ids, err := c.api.Store.FindContactIDs(c.ctx(), c.ws.ID, store.ContactFilter{Groups: []int64{g.ID}})
	if err != nil {
		return nil, err
	}
	var query any
	if g.Query != "" {
		query = g.Query
	}
	status := g.Status
	if status == "" {
		status = "ready"
	}
	return map[string]any{"uuid": g.UUID, "name": g.Name, "query": query, "status": status, "system": false, "count": len(ids)}, nil
}

// POST groups.json creates a manual group by name; ?uuid= renames one.
func postGroup(c *call) error {
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	b, err := c.readBody()
	if err != nil {
		return err
	}
	name := strings.TrimSpace(b.str("name", 64, true))
	if strings.ContainsAny(name, `"\`) {
		b.errs.add("name", `Cannot contain the character: "`)
	}
	if err := b.done(); err != nil {
		return err
	}
	list, err := c.api.Store.ListGroups(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	var g *store.Group
	for _, x := range list {
		if uuid != "" && x.UUID == uuid {
			g = x
		} else if strings.EqualFold(x.Name, name) {
			return fieldErr("name", "Must be unique.")
		}
	}
	status := http.StatusOK
	if c.param("uuid") != "" {
		if g == nil {
			return errNotFound
		}
	} else {
		if len(list) >= 250 {
			return errDetail(http.StatusConflict, "Cannot create object because workspace has reached limit.")
		}
		g = &store.Group{WorkspaceID: c.ws.ID, Status: "ready"}
		status = http.StatusCreated
	}
	g.Name = name
	if err := c.api.Runtime.SaveGroup(c.ctx(), g); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fieldErr("name", "Must be unique.")
		}
		return fromRuntime(err)
	}
	item, err := groupItem(c, g)
	if err != nil {
		return err
	}
	return c.ok(status, item)
}

// DELETE groups.json?uuid= removes a group not used by live triggers.
func deleteGroup(c *call) error {
	if c.param("uuid") == "" {
		return errDetail(http.StatusBadRequest, "URL must contain one of the following parameters: uuid")
	}
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	w, err := c.view()
	if err != nil {
		return err
	}
	g := w.Group(uuid)
	if g == nil {
		return errNotFound
	}
	for _, t := range w.Triggers {
		if !t.Archived && (contains(t.GroupUUIDs, uuid) || contains(t.ExcludeGroups, uuid)) {
			return fieldErr("non_field_errors", "Group is being used by triggers which must be archived first.")
		}
	}
	if err := c.api.Store.DeleteGroup(c.ctx(), c.ws.ID, g.ID); err != nil {
		return fromRuntime(err)
	}
	c.api.Runtime.Invalidate(c.ws.ID)
	writeJSON(c.w, http.StatusNoContent, nil)
	return nil
}
