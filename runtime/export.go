package runtime

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"

	"careflow/store"
)

// Export dependency modes (RapidPro's definitions endpoint).
const (
	ExportDepsNone  = "none"
	ExportDepsFlows = "flows"
	ExportDepsAll   = "all"
)

// ExportFile is an export document RapidPro and careflow import (runtime.md §7).
type ExportFile struct {
	Version   string            `json:"version"`
	Site      string            `json:"site"`
	Flows     []json.RawMessage `json:"flows"`
	Campaigns []json.RawMessage `json:"campaigns"`
	Triggers  []exportTrigger   `json:"triggers"`
	Fields    []exportField     `json:"fields"`
	Groups    []exportGroup     `json:"groups"`
}

// Export writes the named flows and campaigns of a workspace (every flow, every live
// campaign when flowUUIDs, campaignUUIDs are nil) as an export file. With deps "flows" or
// "all" the flows they start or enter come too (a campaign's flow events included), with
// their triggers; "all" adds the workspace's fields and groups. Unknown UUIDs are left out.
func (r *Runtime) Export(ctx context.Context, wsID int64, flowUUIDs, campaignUUIDs []string, deps, site string) (*ExportFile, error) {
	flows, err := r.Store.ListFlows(ctx, wsID, true)
	if err != nil {
		return nil, err
	}
	w, err := r.Workspace(ctx, wsID)
	if err != nil {
		return nil, err
	}
	campaigns, campaignFlows, err := r.exportedCampaigns(ctx, w, campaignUUIDs)
	if err != nil {
		return nil, err
	}
	byUUID := map[string]*store.Flow{}
	for _, f := range flows {
		byUUID[f.UUID] = f
	}
	want := map[string]bool{}
	var queue []string
	if flowUUIDs == nil {
		for _, f := range flows {
			queue = append(queue, f.UUID)
		}
	} else {
		queue = append(queue, flowUUIDs...)
	}
	if deps != ExportDepsNone {
		queue = append(queue, campaignFlows...)
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		f := byUUID[u]
		if f == nil || want[u] {
			continue
		}
		want[u] = true
		if deps != ExportDepsNone {
			queue = append(queue, flowRefs(f.Definition)...)
		}
	}
	out := &ExportFile{Version: strconv.Itoa(CurrentExportVersion), Site: site, Flows: []json.RawMessage{},
		Campaigns: []json.RawMessage{}, Triggers: []exportTrigger{}, Fields: []exportField{}, Groups: []exportGroup{}}
	for _, f := range flows {
		if want[f.UUID] {
			out.Flows = append(out.Flows, f.Definition)
		}
	}
	out.Campaigns = append(out.Campaigns, campaigns...)
	if deps == ExportDepsNone && flowUUIDs != nil {
		return out, nil
	}
	codes := map[string]string{}
	for code, typ := range exportTriggerTypes {
		codes[typ] = code
	}
	groupRef := func(uuid string) exportRef {
		if g := w.Group(uuid); g != nil {
			return exportRef{UUID: g.UUID, Name: g.Name}
		}
		return exportRef{UUID: uuid}
	}
	for _, t := range w.Triggers {
		f := byUUID[t.FlowUUID]
		if t.Archived || f == nil || !want[t.FlowUUID] || codes[t.Type] == "" {
			continue
		}
		et := exportTrigger{TriggerType: codes[t.Type], Keywords: t.Keywords, Flow: &exportRef{UUID: f.UUID, Name: f.Name},
			ReferrerID: t.ReferrerID, Groups: []exportRef{}, ExcludeGroups: []exportRef{}}
		if t.Type == TriggerKeyword {
			et.MatchType = "F"
			if t.MatchType == MatchOnlyWord {
				et.MatchType = "O"
			}
			if len(t.Keywords) > 0 {
				et.Keyword = t.Keywords[0]
			}
		}
		if t.ChannelUUID != "" {
			et.Channel = &exportRef{UUID: t.ChannelUUID}
		}
		for _, g := range t.GroupUUIDs {
			et.Groups = append(et.Groups, groupRef(g))
		}
		for _, g := range t.ExcludeGroups {
			et.ExcludeGroups = append(et.ExcludeGroups, groupRef(g))
		}
		out.Triggers = append(out.Triggers, et)
	}
	if deps != ExportDepsAll {
		return out, nil
	}
	fields, err := r.Store.ListFields(ctx, wsID)
	if err != nil {
		return nil, err
	}
	for _, f := range fields {
		out.Fields = append(out.Fields, exportField{Key: f.Key, Name: f.Name, Type: f.Type})
	}
	var groups []*store.Group
	for _, g := range w.Groups {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].Name < groups[j].Name })
	for _, g := range groups {
		out.Groups = append(out.Groups, exportGroup{UUID: g.UUID, Name: g.Name, Query: g.Query})
	}
	return out, nil
}

// flowRefs finds the flows a definition enters or starts: every {"uuid", "name"} object
// under a "flow" key.
func flowRefs(def json.RawMessage) []string {
	var v any
	if json.Unmarshal(def, &v) != nil {
		return nil
	}
	var out []string
	var walk func(x any)
	walk = func(x any) {
		switch t := x.(type) {
		case map[string]any:
			for k, val := range t {
				if k == "flow" {
					if m, ok := val.(map[string]any); ok {
						if u, ok := m["uuid"].(string); ok {
							out = append(out, u)
						}
					}
				}
				walk(val)
			}
		case []any:
			for _, val := range t {
				walk(val)
			}
		}
	}
	walk(v)
	return out
}
