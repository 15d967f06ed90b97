package api

import (
	"errors"
	"net/http"
	"sort"
	"strings"

	"careflow/runtime"
	"careflow/store"
)

// GET labels.json: filters uuid or name; newest first, with the count of visible messages.
func listLabels(c *call) error {
	if err := c.exclusive("uuid", "name"); err != nil {
		return err
	}
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	name := c.param("name")
	labels, err := c.api.Store.ListLabels(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	counts, err := c.api.Store.CountLabelled(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	sort.SliceStable(labels, func(i, j int) bool { return labels[i].ID > labels[j].ID })
	var items []any
	var keys []cursorKey
	for _, l := range labels {
		if (uuid != "" && l.UUID != uuid) || (name != "" && !strings.EqualFold(l.Name, name)) {
			continue
		}
		items = append(items, labelItem(l, counts[l.UUID]))
		keys = append(keys, cursorKey{ID: l.ID})
	}
	return c.slicePage(items, func(i int) cursorKey { return keys[i] })
}

func labelItem(l *store.Label, count int64) map[string]any {
	return map[string]any{"uuid": l.UUID, "name": l.Name, "count": count}
}

// findLabel finds a label by UUID or name (any case), or nil.
func findLabel(labels []*store.Label, ref string) *store.Label {
	for _, l := range labels {
		if l.UUID == strings.ToLower(ref) || strings.EqualFold(l.Name, ref) {
			return l
		}
	}
	return nil
}

func checkLabelName(b *body, field, name string) {
	if strings.ContainsAny(name, `"\`) || (name != "" && strings.TrimSpace(name) != name) {
		b.errs.add(field, `Cannot contain the character: "`)
	}
}

// POST labels.json creates a label by name; ?uuid= renames one.
func postLabel(c *call) error {
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	b, err := c.readBody()
	if err != nil {
		return err
	}
	name := b.str("name", 64, true)
	checkLabelName(b, "name", name)
	if err := b.done(); err != nil {
		return err
	}
	labels, err := c.api.Store.ListLabels(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	status := http.StatusOK
	var l *store.Label
	if uuid != "" {
		if l = findLabel(labels, uuid); l == nil || l.UUID != uuid {
			return errNotFound
		}
	} else {
		if len(labels) >= 250 {
			return errDetail(http.StatusConflict, "Cannot create object because workspace has reached limit.")
		}
		l = &store.Label{WorkspaceID: c.ws.ID, UUID: runtime.NewUUID(), CreatedOn: c.api.Runtime.Clock.Now()}
		status = http.StatusCreated
	}
	l.Name = name
	if err := c.api.Store.SaveLabel(c.ctx(), l); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fieldErr("name", "Must be unique.")
		}
		return err
	}
	counts, err := c.api.Store.CountLabelled(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	return c.ok(status, labelItem(l, counts[l.UUID]))
}

// DELETE labels.json?uuid= removes a label from the workspace and its messages.
func deleteLabel(c *call) error {
	if c.param("uuid") == "" {
		return errDetail(http.StatusBadRequest, "URL must contain one of the following parameters: uuid")
	}
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	labels, err := c.api.Store.ListLabels(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	l := findLabel(labels, uuid)
	if l == nil || l.UUID != uuid {
		return errNotFound
	}
	if err := c.api.Store.DeleteLabel(c.ctx(), c.ws.ID, l); err != nil {
		return fromRuntime(err)
	}
	writeJSON(c.w, http.StatusNoContent, nil)
	return nil
}
