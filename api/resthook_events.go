package api

import (
	"encoding/json"

	"careflow/store"
)

// GET resthook_events.json: the payloads flows posted to resthooks (kept 48 hours, as RapidPro
// keeps them), newest first; filter resthook (a slug).
func listResthookEvents(c *call) error {
	pr, err := c.pageReq()
	if err != nil {
		return err
	}
	q := store.ResthookEventQuery{Resthook: c.param("resthook"), Limit: pr.size + 1}
	if pr.at != nil {
		q.BeforeID = pr.at.Key.ID
	}
	list, err := c.api.Store.ListResthookEvents(c.ctx(), c.ws.ID, q)
	if err != nil {
		return err
	}
	more := len(list) > pr.size
	if more {
		list = list[:pr.size]
	}
	items := make([]any, len(list))
	keys := make([]cursorKey, len(list))
	for i, e := range list {
		var data any = json.RawMessage(e.Data)
		if !json.Valid(e.Data) {
			data = nil
		}
		items[i] = map[string]any{"resthook": e.Resthook, "data": data, "created_on": formatDate(e.CreatedOn)}
		keys[i] = cursorKey{ID: e.ID}
	}
	return c.pageForward(items, keys, more)
}
