package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"careflow/store"
)

// exportCampaign is a campaign of a RapidPro export file (runtime.md §7).
type exportCampaign struct {
	UUID  string `json:"uuid"`
	Name  string `json:"name"`
	Group struct {
		UUID string `json:"uuid"`
		Name string `json:"name"`
	} `json:"group"`
	Events []struct {
		UUID         string `json:"uuid"`
		Offset       int    `json:"offset"`
		Unit         string `json:"unit"`
		EventType    string `json:"event_type"`
		DeliveryHour *int   `json:"delivery_hour"`
		RelativeTo   struct {
			Key   string `json:"key"`
			Label string `json:"label"`
			Name  string `json:"name"`
		} `json:"relative_to"`
		StartMode string `json:"start_mode"`
		Flow      *struct {
			UUID string `json:"uuid"`
			Name string `json:"name"`
		} `json:"flow"`
		Message      json.RawMessage `json:"message"`
		BaseLanguage string          `json:"base_language"`
	} `json:"events"`
}

// ImportCampaignsFrom creates or updates the campaigns of an export file and schedules them
// (runtime.md §7): a campaign is matched by UUID then by name and re-pointed at its group
// (matched by UUID then name, else created); its existing events are released and recreated
// from the file; a relative-to field is created as a datetime field when missing; a message
// given as a plain string is in the base language "und"; flow events whose flow is not in
// the workspace are skipped. Runtime.Import calls it through Runtime.ImportCampaigns.
func (r *Runtime) ImportCampaignsFrom(ctx context.Context, wsID int64, raws []json.RawMessage) error {
	r.Invalidate(wsID) // the import has just written flows, fields and groups
	w, err := r.Workspace(ctx, wsID)
	if err != nil {
		return err
	}
	existing, err := r.Store.ListCampaigns(ctx, wsID)
	if err != nil {
		return err
	}
	for i, raw := range raws {
		var ec exportCampaign
		if err := json.Unmarshal(raw, &ec); err != nil {
			return &ImportError{Problems: []string{fmt.Sprintf("campaign %d: %v", i+1, err)}}
		}
		if strings.TrimSpace(ec.Name) == "" {
			return &ImportError{Problems: []string{fmt.Sprintf("campaign %d: a campaign needs a name", i+1)}}
		}
		g, err := r.importCampaignGroup(ctx, w, ec.Group.UUID, ec.Group.Name)
		if err != nil {
			return err
		}
		var c *store.Campaign
		for _, x := range existing {
			if (ec.UUID != "" && x.UUID == ec.UUID) || (c == nil && strings.EqualFold(x.Name, ec.Name)) {
				c = x
			}
		}
		if c == nil {
			c = &store.Campaign{WorkspaceID: wsID, UUID: ec.UUID}
			existing = append(existing, c)
		} else {
			old, err := r.Store.ListCampaignEvents(ctx, wsID, c.ID)
			if err != nil {
				return err
			}
			for _, e := range old {
				if err := r.Store.DeleteCampaignEvent(ctx, wsID, e.UUID); err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
		}
		c.Name, c.GroupID, c.Archived = ec.Name, g.ID, false
		if err := r.Store.SaveCampaign(ctx, c); err != nil {
			return fmt.Errorf("campaign %s: %w", ec.Name, err)
		}
		for _, ee := range ec.Events {
			key := ee.RelativeTo.Key
			if key != store.CampaignRelativeCreatedOn && key != store.CampaignRelativeLastSeenOn && w.fieldType(key) == "" {
				name := ee.RelativeTo.Label
				if name == "" {
					name = ee.RelativeTo.Name
				}
				if name == "" {
					name = key
				}
				if err := r.Store.SaveField(ctx, &store.Field{WorkspaceID: wsID, Key: key, Name: name, Type: "datetime"}); err != nil {
					return fmt.Errorf("campaign %s field %s: %w", ec.Name, key, err)
				}
				r.Invalidate(wsID)
				if w, err = r.Workspace(ctx, wsID); err != nil {
					return err
				}
			}
			e := &store.CampaignEvent{RelativeTo: key, Offset: ee.Offset, Unit: ee.Unit, EventType: ee.EventType,
				DeliveryHour: -1, StartMode: ee.StartMode}
			if ee.DeliveryHour != nil {
				e.DeliveryHour = *ee.DeliveryHour
			}
			if e.EventType == store.CampaignEventFlow {
				if ee.Flow == nil || w.Flows[ee.Flow.UUID] == nil {
					continue
				}
				e.FlowUUID = ee.Flow.UUID
			} else {
				e.Translations, e.BaseLanguage = importEventMessage(ee.Message, ee.BaseLanguage)
			}
			if err := r.SaveCampaignEvent(ctx, wsID, c.UUID, e); err != nil {
				return &ImportError{Problems: []string{fmt.Sprintf("campaign %s event: %v", ec.Name, err)}}
			}
		}
	}
	return nil
}

// importEventMessage reads an exported message: a string (language "und") or texts by
// language.
func importEventMessage(raw json.RawMessage, base string) (json.RawMessage, string) {
	texts := map[string]string{}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		texts["und"], base = s, "und"
	} else {
		_ = json.Unmarshal(raw, &texts)
	}
	trs := map[string]map[string]string{}
	langs := make([]string, 0, len(texts))
	for lang, text := range texts {
		trs[lang] = map[string]string{"text": text}
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	if _, ok := texts[base]; !ok && len(langs) > 0 {
		base = langs[0]
	}
	data, _ := json.Marshal(trs)
	return data, base
}

func (r *Runtime) importCampaignGroup(ctx context.Context, w *Workspace, uuid, name string) (*store.Group, error) {
	if g := w.Group(uuid); g != nil {
		return g, nil
	}
	for _, g := range w.Groups {
		if strings.EqualFold(g.Name, name) {
			return g, nil
		}
	}
	if strings.TrimSpace(name) == "" {
		return nil, &ImportError{Problems: []string{"campaign group: a group needs a name"}}
	}
	g := &store.Group{WorkspaceID: w.ID, UUID: uuid, Name: name, Status: "ready"}
	if g.UUID == "" {
		g.UUID = NewUUID()
	}
	if err := r.Store.SaveGroup(ctx, g); err != nil {
		return nil, fmt.Errorf("campaign group %s: %w", name, err)
	}
	r.Invalidate(w.ID)
	nw, err := r.Workspace(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	*w = *nw
	return g, nil
}
