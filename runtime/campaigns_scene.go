package runtime

import (
	"context"
	"strconv"
	"time"

	"careflow/store"
)

// contactDates is a contact's campaign-relevant state: its groups and dates.
type contactDates struct {
	groups  []int64
	seen    *time.Time
	created time.Time
	status  string
	// fields are the datetime parts of its fields.
	fields map[string]*fieldDate
}

func datesOf(c *store.Contact) *contactDates {
	d := &contactDates{groups: append([]int64(nil), c.Groups...), created: c.CreatedOn, status: c.Status,
		fields: readFieldDates(c.Fields)}
	if c.LastSeenOn != nil {
		t := *c.LastSeenOn
		d.seen = &t
	}
	return d
}

func (cs *contactScene) snapshotForCampaigns() *contactDates {
	if cs.w.campaigns == nil || len(cs.w.campaigns.events) == 0 {
		return nil
	}
	return datesOf(cs.c)
}

// rescheduleCampaigns moves the contact's campaign fires, in the scene's transaction, for
// what its tasks changed (runtime.md §4).
func (cs *contactScene) rescheduleCampaigns(before *contactDates) {
	if before == nil {
		return
	}
	clears, fires := cs.w.campaignChanges(cs.c.ID, before, datesOf(cs.c), cs.now)
	cs.scene.CampaignFireClears = append(cs.scene.CampaignFireClears, clears...)
	cs.scene.Fires = append(cs.scene.Fires, fires...)
}

// campaignChanges says which events' fires of a contact to delete and which fires to add
// after it changed from before to after: leaving a campaign's group drops the event's fire;
// joining computes it; a changed date (a field, or a new last_seen_on — rescheduled on every
// change, the reference's evident intent) recomputes the fires of the events relative to it.
// Events whose inputs did not change are left alone, so a fire already due but not yet taken
// is never lost.
func (w *Workspace) campaignChanges(contactID int64, before, after *contactDates, now time.Time) ([]int64, []*store.Fire) {
	if w.campaigns == nil {
		return nil, nil
	}
	inBefore := make(map[int64]bool, len(before.groups))
	for _, id := range before.groups {
		inBefore[id] = true
	}
	inAfter := make(map[int64]bool, len(after.groups))
	for _, id := range after.groups {
		inAfter[id] = true
	}
	var clears []int64
	var fires []*store.Fire
	loc := w.location()
	for _, e := range w.campaigns.events {
		g := e.Campaign.GroupID
		if !inAfter[g] {
			if inBefore[g] {
				clears = append(clears, e.ID)
			}
			continue
		}
		if inBefore[g] {
			changed := false
			switch e.RelativeTo {
			case store.CampaignRelativeCreatedOn:
				changed = !before.created.Equal(after.created)
			case store.CampaignRelativeLastSeenOn:
				changed = !sameTimePtr(before.seen, after.seen)
			default:
				var was, is *time.Time
				if v := before.fields[e.RelativeTo]; v != nil {
					was = v.Datetime
				}
				if v := after.fields[e.RelativeTo]; v != nil {
					is = v.Datetime
				}
				changed = !sameTimePtr(was, is)
			}
			if !changed && before.status == after.status {
				continue
			}
		}
		clears = append(clears, e.ID)
		if after.status != "active" {
			continue
		}
		base, ok := campaignBase(e.RelativeTo, after.created, after.seen, after.fields)
		if !ok {
			continue
		}
		if on, ok := campaignFireTime(e.CampaignEvent, loc, base, now); ok {
			fires = append(fires, &store.Fire{WorkspaceID: w.ID, ContactID: contactID, Type: store.FireCampaign, Scope: e.Scope(), FireOn: on})
		}
	}
	return clears, fires
}

// ContactChanged moves a contact's campaign fires after a change made outside its tasks (an
// API update of its fields or groups, written with store.UpdateContact): before is the
// contact as it was, after as written. It runs after that write's transaction, not inside it.
func (r *Runtime) ContactChanged(ctx context.Context, before, after *store.Contact) error {
	w, err := r.Workspace(ctx, after.WorkspaceID)
	if err != nil || w.campaigns == nil || len(w.campaigns.events) == 0 {
		return err
	}
	clears, fires := w.campaignChanges(after.ID, datesOf(before), datesOf(after), r.Clock.Now())
	for _, id := range clears {
		if _, err := r.Store.DeleteFires(ctx, after.WorkspaceID, store.FireCampaign, strconv.FormatInt(id, 10)+":", []int64{after.ID}); err != nil {
			return err
		}
	}
	if len(fires) == 0 {
		return nil
	}
	return r.Store.InsertFires(ctx, fires)
}

func sameTimePtr(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
