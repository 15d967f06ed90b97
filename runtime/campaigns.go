package runtime

import (
	"context"
	"errors"
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
// event of the campaign for the new group's members, in the transaction that moves it.
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
	if moved && !c.Archived {
		err = r.saveRescheduled(ctx, w, c)
	} else {
		err = r.Store.SaveCampaign(ctx, c)
	}
	if err != nil {
		return nil, err
	}
	r.Invalidate(wsID)
	return c, nil
}

// ArchiveCampaign archives a campaign (its pending fires are dropped) or restores it (every
// event is rescheduled from now: nothing missed while archived fires late), in the
// transaction that changes the campaign.
func (r *Runtime) ArchiveCampaign(ctx context.Context, wsID int64, uuid string, archived bool) (*store.Campaign, error) {
	w, err := r.Workspace(ctx, wsID)
	if err != nil {
		return nil, err
	}
	c, err := r.Store.GetCampaign(ctx, wsID, uuid)
	if err != nil {
		return nil, err
	}
	if c.Archived == archived {
		return c, nil
	}
	c.Archived = archived
	if archived {
		err = r.saveUnscheduled(ctx, c)
	} else {
		err = r.saveRescheduled(ctx, w, c)
	}
	if err != nil {
		return nil, err
	}
	r.Invalidate(wsID)
	return c, nil
}

// DeleteCampaign removes a campaign with its events and fires.
func (r *Runtime) DeleteCampaign(ctx context.Context, wsID int64, uuid string) error {
	if err := r.Store.DeleteCampaign(ctx, wsID, uuid); err != nil {
		return err
	}
	r.Invalidate(wsID)
	return nil
}

// SaveCampaignEvent validates and creates (ID 0) or updates an event of a campaign, and
// schedules it in the same transaction: an update is a new fire version, so fires made for
// the old one fire nothing and are deleted.
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
	sched := []*store.ScheduledEvent{{Event: e}}
	if !c.Archived {
		if err := r.campaignFires(ctx, w, c.GroupID, sched); err != nil {
			return err
		}
	}
	if err := r.Store.SaveCampaignSchedule(ctx, nil, sched); err != nil {
		return err
	}
	r.Invalidate(wsID)
	return nil
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

// saveRescheduled saves the campaign with every event at a new version, scheduled for the
// members of its group, in one transaction.
func (r *Runtime) saveRescheduled(ctx context.Context, w *Workspace, c *store.Campaign) error {
	events, err := r.Store.ListCampaignEvents(ctx, c.WorkspaceID, c.ID)
	if err != nil {
		return err
	}
	sched := make([]*store.ScheduledEvent, len(events))
	for i, e := range events {
		e.FireVersion++
		sched[i] = &store.ScheduledEvent{Event: e}
	}
	if err := r.campaignFires(ctx, w, c.GroupID, sched); err != nil {
		return err
	}
	return r.Store.SaveCampaignSchedule(ctx, c, sched)
}

// saveUnscheduled saves the campaign with every fire of its events dropped, in one
// transaction.
func (r *Runtime) saveUnscheduled(ctx context.Context, c *store.Campaign) error {
	events, err := r.Store.ListCampaignEvents(ctx, c.WorkspaceID, c.ID)
	if err != nil {
		return err
	}
	sched := make([]*store.ScheduledEvent, len(events))
	for i, e := range events {
		sched[i] = &store.ScheduledEvent{Event: e}
	}
	return r.Store.SaveCampaignSchedule(ctx, c, sched)
}

// scheduleScanBatch is how many group members one read of scheduling takes.
const scheduleScanBatch = 5000

// campaignFires computes each event's fire for every active member of the group (runtime.md
// §4), reading the members once for all of them; the store writes them with the events in
// one transaction, so a reader never sees half a schedule.
func (r *Runtime) campaignFires(ctx context.Context, w *Workspace, groupID int64, events []*store.ScheduledEvent) error {
	if len(events) == 0 {
		return nil
	}
	loc, now := w.location(), r.Clock.Now()
	// Fields are parsed only when an event is relative to one.
	onField := false
	for _, se := range events {
		rel := se.Event.RelativeTo
		onField = onField || (rel != store.CampaignRelativeCreatedOn && rel != store.CampaignRelativeLastSeenOn)
	}
	for after := int64(0); ; {
		members, err := r.Store.CampaignEventContacts(ctx, groupID, after, scheduleScanBatch)
		if err != nil {
			return err
		}
		for _, m := range members {
			var fields map[string]*fieldDate
			if onField {
				fields = readFieldDates(m.Fields)
			}
			for _, se := range events {
				base, ok := campaignBase(se.Event.RelativeTo, m.CreatedOn, m.LastSeenOn, fields)
				if !ok {
					continue
				}
				if on, ok := campaignFireTime(se.Event, loc, base, now); ok {
					se.Fires = append(se.Fires, &store.Fire{ContactID: m.ContactID, FireOn: on})
				}
			}
		}
		if len(members) < scheduleScanBatch {
			return nil
		}
		after = members[len(members)-1].ContactID
	}
}
