package api

import (
	"encoding/json"
	"time"

	"careflow/runtime"
	"careflow/store"
)

// GET runs.json: filters uuid, flow, contact (exclusive with flow), responded, before/after
// (modified_on), paths=false; newest first.
func listRuns(c *call) error {
	if err := c.exclusive("contact", "flow"); err != nil {
		return err
	}
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	flowUUID, err := c.uuidParam("flow")
	if err != nil {
		return err
	}
	contactUUID, err := c.uuidParam("contact")
	if err != nil {
		return err
	}
	pr, err := c.pageReq()
	if err != nil {
		return err
	}
	w, err := c.view()
	if err != nil {
		return err
	}
	paths := c.param("paths") == "" || c.boolParam("paths")
	q := store.RunQuery{FlowUUID: flowUUID, Limit: 500}
	if c.boolParam("responded") {
		yes := true
		q.Responded = &yes
	}
	if contactUUID != "" {
		ct, err := c.api.Store.GetContactByUUID(c.ctx(), c.ws.ID, contactUUID)
		if err != nil {
			return c.pageForward(nil, nil, false)
		}
		q.ContactID = ct.ID
	}
	win := c.window()
	if pr.at != nil {
		q.BeforeID = pr.at.Key.S
	}
	var picked []*store.Run
	more := false
	for batches := 0; batches < 40 && !more; batches++ {
		list, err := c.api.Store.ListRuns(c.ctx(), c.ws.ID, q)
		if err != nil {
			return err
		}
		for _, r := range list {
			q.BeforeID = r.UUID
			if (uuid != "" && r.UUID != uuid) || !win.has(r.ModifiedOn) {
				continue
			}
			if len(picked) == pr.size {
				more = true
				break
			}
			picked = append(picked, r)
		}
		if len(list) < q.Limit {
			break
		}
	}
	contacts := map[int64]*store.Contact{}
	var ids []int64
	for _, r := range picked {
		if _, ok := contacts[r.ContactID]; !ok {
			contacts[r.ContactID] = nil
			ids = append(ids, r.ContactID)
		}
	}
	if len(ids) > 0 {
		cs, err := c.api.Store.GetContacts(c.ctx(), c.ws.ID, ids)
		if err != nil {
			return err
		}
		for _, ct := range cs {
			contacts[ct.ID] = ct
		}
	}
	starts := map[int64]string{}
	items := make([]any, len(picked))
	keys := make([]cursorKey, len(picked))
	for i, r := range picked {
		var start any
		if r.StartID != 0 {
			if _, ok := starts[r.StartID]; !ok {
				if st, err := c.api.Store.GetStart(c.ctx(), r.StartID); err == nil {
					starts[r.StartID] = st.UUID
				}
			}
			if u := starts[r.StartID]; u != "" {
				start = map[string]string{"uuid": u}
			}
		}
		items[i], keys[i] = runItem(w, r, contacts[r.ContactID], start, paths), cursorKey{S: r.UUID}
	}
	return c.pageForward(items, keys, more)
}

func runItem(w *runtime.Workspace, r *store.Run, ct *store.Contact, start any, paths bool) map[string]any {
	var fl, contact any
	if f := w.Flows[r.FlowUUID]; f != nil {
		fl = ref(f.UUID, f.Name)
	}
	if ct != nil {
		m := map[string]any{"uuid": ct.UUID, "name": nil, "urn": nil, "urn_display": nil}
		if ct.Name != "" {
			m["name"] = ct.Name
		}
		if len(ct.URNs) > 0 {
			m["urn"] = ct.URNs[0].Identity
			if d := ct.URNs[0].Display; d != "" {
				m["urn_display"] = d
			}
		}
		contact = m
	}
	var path any
	if paths {
		var steps []struct {
			Node string    `json:"node_uuid"`
			Time time.Time `json:"arrived_on"`
		}
		_ = json.Unmarshal(r.Path, &steps)
		out := []any{}
		for _, s := range steps {
			out = append(out, map[string]string{"node": s.Node, "time": formatDate(s.Time)})
		}
		path = out
	}
	var results map[string]struct {
		Name      string    `json:"name"`
		Value     string    `json:"value"`
		Category  string    `json:"category"`
		NodeUUID  string    `json:"node_uuid"`
		CreatedOn time.Time `json:"created_on"`
	}
	_ = json.Unmarshal(r.Results, &results)
	values := map[string]any{}
	for k, v := range results {
		values[k] = map[string]any{"name": v.Name, "value": v.Value, "category": v.Category, "node": v.NodeUUID, "time": formatDate(v.CreatedOn)}
	}
	var exit any
	switch r.Status {
	case "completed", "interrupted", "expired", "failed":
		exit = r.Status
	}
	return map[string]any{
		"id": 0, "uuid": r.UUID, "flow": fl, "contact": contact, "start": start, "responded": r.Responded,
		"path": path, "values": values, "created_on": formatDate(r.CreatedOn), "modified_on": formatDate(r.ModifiedOn),
		"exited_on": dateOrNil(r.ExitedOn), "exit_type": exit,
	}
}
