package runtime

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"careflow/engine/event"
	"careflow/store"
)

// exportedCampaigns picks the campaigns an export carries (campaignUUIDs nil: every live
// campaign; unknown or archived ones are left out) and writes them in the export shape
// (runtime.md §7), with the flows their flow events start.
func (r *Runtime) exportedCampaigns(ctx context.Context, w *Workspace, campaignUUIDs []string) ([]json.RawMessage, []string, error) {
	camps, err := r.Store.ListCampaigns(ctx, w.ID)
	if err != nil {
		return nil, nil, err
	}
	asked := map[string]bool{}
	for _, u := range campaignUUIDs {
		asked[strings.ToLower(u)] = true
	}
	var picked []*store.Campaign
	for _, c := range camps {
		if !c.Archived && (campaignUUIDs == nil || asked[c.UUID]) {
			picked = append(picked, c)
		}
	}
	if len(picked) == 0 {
		return nil, nil, nil
	}
	fields, err := r.Store.ListFields(ctx, w.ID)
	if err != nil {
		return nil, nil, err
	}
	fieldNames := map[string]string{store.CampaignRelativeCreatedOn: "Created On", store.CampaignRelativeLastSeenOn: "Last Seen On"}
	for _, f := range fields {
		fieldNames[f.Key] = f.Name
	}
	var out []json.RawMessage
	var flows []string
	for _, c := range picked {
		events, err := r.Store.ListCampaignEvents(ctx, w.ID, c.ID)
		if err != nil {
			return nil, nil, err
		}
		ec := map[string]any{"uuid": c.UUID, "name": c.Name, "group": nil}
		if g := w.GroupIDs[c.GroupID]; g != nil {
			ec["group"] = exportRef{UUID: g.UUID, Name: g.Name}
		}
		evs := make([]any, 0, len(events))
		for _, e := range events {
			ee := map[string]any{
				"uuid": e.UUID, "offset": e.Offset, "unit": e.Unit, "event_type": e.EventType, "delivery_hour": e.DeliveryHour,
				// RapidPro's export names the field by "label", not "name".
				"relative_to": map[string]string{"key": e.RelativeTo, "label": fieldNames[e.RelativeTo]},
				"start_mode":  e.StartMode,
			}
			if e.EventType == store.CampaignEventFlow {
				name := ""
				if f := w.Flows[e.FlowUUID]; f != nil {
					name = f.Name
				}
				ee["flow"] = exportRef{UUID: e.FlowUUID, Name: name}
				flows = append(flows, e.FlowUUID)
			} else {
				var trs map[string]*event.BroadcastTranslation
				_ = json.Unmarshal(e.Translations, &trs)
				texts := map[string]string{}
				for lang, tr := range trs {
					if tr != nil {
						texts[lang] = tr.Text
					}
				}
				ee["message"], ee["base_language"] = texts, e.BaseLanguage
			}
			evs = append(evs, ee)
		}
		ec["events"] = evs
		data, err := json.Marshal(ec)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, data)
	}
	sort.Strings(flows)
	return out, flows, nil
}
