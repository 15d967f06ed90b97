package runtime

import (
	"context"
	"errors"
	"fmt"
	"time"

	"careflow/store"
)

// liveEvent is a campaign event that can fire: its campaign is not archived.
type liveEvent struct {
	*store.CampaignEvent
	Campaign *store.Campaign
}

// campaignView is what per-contact rescheduling needs of a workspace's campaigns.
type campaignView struct {
	fieldTypes map[string]string
	// events are the live events; byGroup indexes them by their campaign's group ID.
	events  []*liveEvent
	byGroup map[int64][]*liveEvent
}

// loadCampaigns fills the workspace's campaign view; it is part of the cached workspace, so
// a campaign change (which bumps the assets version) reaches every node.
func (r *Runtime) loadCampaigns(ctx context.Context, w *Workspace) error {
	v := &campaignView{fieldTypes: map[string]string{}, byGroup: map[int64][]*liveEvent{}}
	fields, err := r.Store.ListFields(ctx, w.ID)
	if err != nil {
		return err
	}
	for _, f := range fields {
		v.fieldTypes[f.Key] = f.Type
	}
	camps, err := r.Store.ListCampaigns(ctx, w.ID)
	if err != nil {
		return err
	}
	byID := map[int64]*store.Campaign{}
	for _, c := range camps {
		if !c.Archived {
			byID[c.ID] = c
		}
	}
	if len(byID) > 0 {
		events, err := r.Store.ListCampaignEvents(ctx, w.ID, 0)
		if err != nil {
			return err
		}
		for _, e := range events {
			if c := byID[e.CampaignID]; c != nil {
				le := &liveEvent{CampaignEvent: e, Campaign: c}
				v.events = append(v.events, le)
				v.byGroup[c.GroupID] = append(v.byGroup[c.GroupID], le)
			}
		}
	}
	w.campaigns = v
	return nil
}

func (w *Workspace) fieldType(key string) string {
	if w.campaigns == nil {
		return ""
	}
	return w.campaigns.fieldTypes[key]
}

// location is the workspace's timezone (UTC when unset or unknown).
func (w *Workspace) location() *time.Location {
	if loc, err := time.LoadLocation(w.Timezone); err == nil && w.Timezone != "" {
		return loc
	}
	return time.UTC
}

// CreateCampaign creates a campaign on a group of the workspace.
func (r *Runtime) CreateCampaign(ctx context.Context, wsID int64, name, groupUUID string) (*store.Campaign, error) {
	w, err := r.Workspace(ctx, wsID)
	if err != nil {
		return nil, err
	}
	g, err := ValidateCampaign(w, name, groupUUID)
	if err != nil {
		return nil, err
	}
	c := &store.Campaign{WorkspaceID: wsID, Name: name, GroupID: g.ID}
	if err := r.Store.SaveCampaign(ctx, c); err != nil {
		return nil, err
	}
	r.Invalidate(wsID)
	return c, nil
}

// UpdateCampaign renames a campaign and moves it to a group; a new group reschedules every
// event of the campaign for the new group's members.
func (r *Runtime) UpdateCampaign(ctx context.Context, wsID int64, uuid, name, groupUUID string) (*store.Campaign, error) {
	w, err := r.Workspace(ctx, wsID)
	if err != nil {
		return nil, err
	}
	c, err := r.Store.GetCampaign(ctx, wsID, uuid)
	if err != nil {
		return nil, err
	}
	g, err := ValidateCampaign(w, name, groupUUID)
	if err != nil {
		return nil, err
	}
	moved := g.ID != c.GroupID
	c.Name, c.GroupID = name, g.ID
	if err := r.Store.SaveCampaign(ctx, c); err != nil {
		return nil, err
	}
	r.Invalidate(wsID)
	if moved && !c.Archived {
		return c, r.rescheduleCampaign(ctx, c)
	}
	return c, nil
}

// ArchiveCampaign archives a campaign (its pending fires are dropped) or restores it (every
// event is rescheduled from now: nothing missed while archived fires late).
func (r *Runtime) ArchiveCampaign(ctx context.Context, wsID int64, uuid string, archived bool) (*store.Campaign, error) {
	c, err := r.Store.GetCampaign(ctx, wsID, uuid)
	if err != nil {
		return nil, err
	}
	if c.Archived == archived {
		return c, nil
	}
	c.Archived = archived
	if err := r.Store.SaveCampaign(ctx, c); err != nil {
		return nil, err
	}
	r.Invalidate(wsID)
	events, err := r.Store.ListCampaignEvents(ctx, wsID, c.ID)
	if err != nil {
		return nil, err
	}
	if archived {
		for _, e := range events {
			if err := r.Store.ReplaceCampaignFires(ctx, wsID, e.ID, true, nil); err != nil {
				return nil, err
			}
		}
		return c, nil
	}
	return c, r.rescheduleCampaign(ctx, c)
}

// DeleteCampaign removes a campaign with its events and fires.
func (r *Runtime) DeleteCampaign(ctx context.Context, wsID int64, uuid string) error {
	if err := r.Store.DeleteCampaign(ctx, wsID, uuid); err != nil {
		return err
	}
	r.Invalidate(wsID)
	return nil
}

// SaveCampaignEvent validates and creates (ID 0) or updates an event of a campaign, then
// schedules it: an update is a new fire version, so fires made for the old one fire
// nothing and are deleted.
func (r *Runtime) SaveCampaignEvent(ctx context.Context, wsID int64, campaignUUID string, e *store.CampaignEvent) error {
	w, err := r.Workspace(ctx, wsID)
	if err != nil {
		return err
	}
	c, err := r.Store.GetCampaign(ctx, wsID, campaignUUID)
	if errors.Is(err, store.ErrNotFound) {
		return invalid("campaign: no such campaign with UUID %q", campaignUUID)
	}
	if err != nil {
		return err
	}
	if err := ValidateCampaignEvent(w, e); err != nil {
		return err
	}
	e.WorkspaceID, e.CampaignID = wsID, c.ID
	if e.ID != 0 {
		old, err := r.Store.GetCampaignEventByID(ctx, e.ID)
		if err != nil {
			return err
		}
		if old.WorkspaceID != wsID || old.CampaignID != c.ID {
			return store.ErrNotFound
		}
		e.UUID, e.CreatedOn = old.UUID, old.CreatedOn
		e.FireVersion = old.FireVersion + 1
	} else {
		e.FireVersion = 1
	}
	e.Status = store.CampaignEventScheduling
	if err := r.Store.SaveCampaignEvent(ctx, e); err != nil {
		return err
	}
	r.Invalidate(wsID)
	if c.Archived {
		return r.Store.ReplaceCampaignFires(ctx, wsID, e.ID, true, nil)
	}
	return r.ScheduleCampaignEvent(ctx, c, e)
}

// DeleteCampaignEvent removes an event; its pending fires go with it.
func (r *Runtime) DeleteCampaignEvent(ctx context.Context, wsID int64, uuid string) error {
	if err := r.Store.DeleteCampaignEvent(ctx, wsID, uuid); err != nil {
		return err
	}
	r.Invalidate(wsID)
	return nil
}

// DeleteField removes a field; the campaign events relative to it, which could never fire
// again, go with their fires in the same transaction.
func (r *Runtime) DeleteField(ctx context.Context, wsID int64, key string) error {
	if err := r.Store.DeleteField(ctx, wsID, key); err != nil {
		return err
	}
	r.Invalidate(wsID)
	return nil
}

// rescheduleCampaign gives every event of the campaign a new version and schedules it.
func (r *Runtime) rescheduleCampaign(ctx context.Context, c *store.Campaign) error {
	events, err := r.Store.ListCampaignEvents(ctx, c.WorkspaceID, c.ID)
	if err != nil {
		return err
	}
	for _, e := range events {
		e.FireVersion++
		e.Status = store.CampaignEventScheduling
		if err := r.Store.SaveCampaignEvent(ctx, e); err != nil {
			return err
		}
	}
	r.Invalidate(c.WorkspaceID)
	for _, e := range events {
		if err := r.ScheduleCampaignEvent(ctx, c, e); err != nil {
			return err
		}
	}
	return nil
}

// scheduleScanBatch is how many group members one read of scheduling takes.
const scheduleScanBatch = 5000

// ScheduleCampaignEvent computes the event's fire for every active member of the campaign's
// group and replaces the event's fires with them (runtime.md §4): one transaction, whatever
// the group's size, so a reader never sees half a schedule.
func (r *Runtime) ScheduleCampaignEvent(ctx context.Context, c *store.Campaign, e *store.CampaignEvent) error {
	w, err := r.Workspace(ctx, c.WorkspaceID)
	if err != nil {
		return err
	}
	loc, now, scope := w.location(), r.Clock.Now(), e.Scope()
	var fires []*store.Fire
	for after := int64(0); ; {
		members, err := r.Store.CampaignEventContacts(ctx, c.GroupID, after, scheduleScanBatch)
		if err != nil {
			return err
		}
		for _, m := range members {
			var fields map[string]*fieldDate
			if e.RelativeTo != store.CampaignRelativeCreatedOn && e.RelativeTo != store.CampaignRelativeLastSeenOn {
				fields = readFieldDates(m.Fields)
			}
			base, ok := campaignBase(e.RelativeTo, m.CreatedOn, m.LastSeenOn, fields)
			if !ok {
				continue
			}
			if on, ok := campaignFireTime(e, loc, base, now); ok {
				fires = append(fires, &store.Fire{WorkspaceID: c.WorkspaceID, ContactID: m.ContactID, Type: store.FireCampaign, Scope: scope, FireOn: on})
			}
		}
		if len(members) < scheduleScanBatch {
			break
		}
		after = members[len(members)-1].ContactID
	}
	if err := r.Store.ReplaceCampaignFires(ctx, c.WorkspaceID, e.ID, true, fires); err != nil {
		return fmt.Errorf("schedule campaign event %s: %w", e.UUID, err)
	}
	return nil
}
