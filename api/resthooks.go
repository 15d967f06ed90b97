package api

import (
	"sort"

	"careflow/store"
)

// GET resthooks.json: the workspace's resthooks, most recently modified first (reverse:
// oldest first). They are made on the console or with the careflow command, as RapidPro makes
// them on its resthooks page; the API only lists them.
func listResthooks(c *call) error {
	rev := c.boolParam("reverse")
	list, err := c.api.Store.ListResthooks(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].ModifiedOn.UnixMicro(), list[j].ModifiedOn.UnixMicro()
		if rev {
			return a < b || (a == b && list[i].ID < list[j].ID)
		}
		return a > b || (a == b && list[i].ID > list[j].ID)
	})
	items := make([]any, len(list))
	for i, h := range list {
		items[i] = resthookItem(h)
	}
	return c.slicePage(items, func(i int) cursorKey { return cursorKey{ID: list[i].ID} })
}

func resthookItem(h *store.Resthook) map[string]any {
	return map[string]any{"resthook": h.Slug, "created_on": formatDate(h.CreatedOn), "modified_on": formatDate(h.ModifiedOn)}
}
