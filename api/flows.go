package api

import (
	"encoding/json"
	"sort"
	"strings"

	"careflow/store"
)

var flowTypes = map[string]string{
	"messaging": "message", "messaging_background": "background", "messaging_offline": "survey", "voice": "voice",
}

// GET flows.json: filters uuid, type, archived, before/after (modified_on); newest created first.
func listFlows(c *call) error {
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	typ, win := c.param("type"), c.window()
	archivedSet, archived := c.param("archived") != "", c.boolParam("archived")
	flows, err := c.api.Store.ListFlows(c.ctx(), c.ws.ID, true)
	if err != nil {
		return err
	}
	counts, err := c.api.Store.CountRuns(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	sort.SliceStable(flows, func(i, j int) bool {
		return newer(flows[i].CreatedOn.UnixMilli(), flows[i].ID, flows[j].CreatedOn.UnixMilli(), flows[j].ID)
	})
	var items []any
	var keys []cursorKey
	for _, f := range flows {
		if (uuid != "" && f.UUID != uuid) || (typ != "" && flowTypes[f.Type] != typ) ||
			(archivedSet && f.Archived != archived) || !win.has(f.ModifiedOn) {
			continue
		}
		items = append(items, flowItem(f, counts[f.UUID]))
		keys = append(keys, cursorKey{M: f.CreatedOn.UnixMilli(), ID: f.ID})
	}
	return c.slicePage(items, func(i int) cursorKey { return keys[i] })
}

func newer(m1, id1, m2, id2 int64) bool { return m1 > m2 || (m1 == m2 && id1 > id2) }

func flowItem(f *store.Flow, counts map[string]int64) map[string]any {
	runs := map[string]int64{}
	for _, s := range []string{"active", "waiting", "completed", "interrupted", "expired", "failed"} {
		runs[s] = counts[s]
	}
	expires := f.ExpireAfterMins
	if f.Type == "messaging_background" || f.Type == "messaging_offline" {
		expires = 0
	}
	typ := flowTypes[f.Type]
	if typ == "" {
		typ = "message"
	}
	return map[string]any{
		"uuid":        f.UUID,
		"name":        f.Name,
		"type":        typ,
		"archived":    f.Archived,
		"labels":      []any{},
		"expires":     expires,
		"runs":        runs,
		"results":     flowResults(f.Definition),
		"parent_refs": []any{},
		"created_on":  formatDate(f.CreatedOn),
		"modified_on": formatDate(f.ModifiedOn),
	}
}

// flowResults lists the results a flow's routers save: key, name, categories, nodes.
func flowResults(def json.RawMessage) []any {
	var d struct {
		Nodes []struct {
			UUID   string `json:"uuid"`
			Router *struct {
				ResultName string `json:"result_name"`
				Categories []struct {
					Name string `json:"name"`
				} `json:"categories"`
			} `json:"router"`
		} `json:"nodes"`
	}
	_ = json.Unmarshal(def, &d)
	type result struct {
		key, name  string
		categories []string
		nodes      []string
	}
	var order []*result
	byKey := map[string]*result{}
	for _, n := range d.Nodes {
		if n.Router == nil || n.Router.ResultName == "" {
			continue
		}
		key := resultKey(n.Router.ResultName)
		r := byKey[key]
		if r == nil {
			r = &result{key: key, name: n.Router.ResultName}
			byKey[key] = r
			order = append(order, r)
		}
		for _, cat := range n.Router.Categories {
			if !contains(r.categories, cat.Name) {
				r.categories = append(r.categories, cat.Name)
			}
		}
		r.nodes = append(r.nodes, n.UUID)
	}
	out := []any{}
	for _, r := range order {
		cats := r.categories
		if cats == nil {
			cats = []string{}
		}
		out = append(out, map[string]any{"key": r.key, "name": r.name, "categories": cats, "node_uuids": r.nodes})
	}
	return out
}

// resultKey is the snake-cased key of a result name ("Favorite Color" → "favorite_color").
func resultKey(name string) string {
	var sb strings.Builder
	under := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r > 127 {
			sb.WriteRune(r)
			under = false
		} else if !under && sb.Len() > 0 {
			sb.WriteByte('_')
			under = true
		}
	}
	return strings.TrimSuffix(sb.String(), "_")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
