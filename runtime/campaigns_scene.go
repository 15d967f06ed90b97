package runtime

import (
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

// reschedule is campaignChanges as the store's hook for a contact changed outside its tasks
// (created by the API, its groups changed by a smart group's re-evaluation or a manual
// membership change): the store calls it inside the transaction of the change, so the change
// and its fires commit together. nil when the workspace has no live campaign event.
func (w *Workspace) reschedule(now time.Time) store.Reschedule {
	if w.campaigns == nil || len(w.campaigns.events) == 0 {
		return nil
	}
	return func(before, after *store.Contact) ([]int64, []*store.Fire) {
		was := &contactDates{}
		if before != nil {
			was = datesOf(before)
		}
		return w.campaignChanges(after.ID, was, datesOf(after), now)
	}
}

// groupReschedule is reschedule for a change of one group's members: nil when no live
// campaign is on the group, so the store need not read the contacts.
func (w *Workspace) groupReschedule(groupID int64, now time.Time) store.Reschedule {
	if w.campaigns == nil || len(w.campaigns.byGroup[groupID]) == 0 {
		return nil
	}
	return w.reschedule(now)
}

func sameTimePtr(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
