package runtime

import (
	"encoding/json"
	"time"

	"careflow/store"
)

// contactBefore is a contact's campaign-relevant state before its tasks were handled.
type contactBefore struct {
	fields json.RawMessage
	groups []int64
	seen   *time.Time
}

func (cs *contactScene) snapshotForCampaigns() *contactBefore {
	if cs.w.campaigns == nil || len(cs.w.campaigns.events) == 0 {
		return nil
	}
	b := &contactBefore{fields: cs.c.Fields, groups: append([]int64(nil), cs.c.Groups...)}
	if cs.c.LastSeenOn != nil {
		t := *cs.c.LastSeenOn
		b.seen = &t
	}
	return b
}

// rescheduleCampaigns moves the contact's campaign fires, in the scene's transaction, for
// what its tasks changed (runtime.md §4): leaving a campaign's group drops the event's fire;
// joining computes it; a changed date (a field, or a new last_seen_on — rescheduled on every
// change, the reference's evident intent) recomputes the fires of events relative to it.
func (cs *contactScene) rescheduleCampaigns(before *contactBefore) {
	if before == nil {
		return
	}
	inBefore := make(map[int64]bool, len(before.groups))
	for _, id := range before.groups {
		inBefore[id] = true
	}
	inAfter := make(map[int64]bool, len(cs.c.Groups))
	for _, id := range cs.c.Groups {
		inAfter[id] = true
	}
	var oldDates map[string]*fieldDate
	oldRead := false
	loc := cs.w.location()
	for _, e := range cs.w.campaigns.events {
		g := e.Campaign.GroupID
		if !inAfter[g] {
			if inBefore[g] {
				cs.scene.CampaignFireClears = append(cs.scene.CampaignFireClears, e.ID)
			}
			continue
		}
		if inBefore[g] {
			changed := false
			switch e.RelativeTo {
			case store.CampaignRelativeCreatedOn:
			case store.CampaignRelativeLastSeenOn:
				changed = !sameTimePtr(before.seen, cs.c.LastSeenOn)
			default:
				if !oldRead {
					oldDates, oldRead = readFieldDates(before.fields), true
				}
				var was, is *time.Time
				if v := oldDates[e.RelativeTo]; v != nil {
					was = v.Datetime
				}
				if v := cs.ec.Fields[e.RelativeTo]; v != nil {
					is = v.Datetime
				}
				changed = !sameTimePtr(was, is)
			}
			if !changed {
				continue
			}
		}
		cs.scene.CampaignFireClears = append(cs.scene.CampaignFireClears, e.ID)
		if cs.c.Status != "active" {
			continue
		}
		var fields map[string]*fieldDate
		if v := cs.ec.Fields[e.RelativeTo]; v != nil {
			fields = map[string]*fieldDate{e.RelativeTo: {Datetime: v.Datetime}}
		}
		base, ok := campaignBase(e.RelativeTo, cs.c.CreatedOn, cs.c.LastSeenOn, fields)
		if !ok {
			continue
		}
		if on, ok := campaignFireTime(e.CampaignEvent, loc, base, cs.now); ok {
			cs.scene.Fires = append(cs.scene.Fires, &store.Fire{WorkspaceID: cs.w.ID, ContactID: cs.c.ID,
				Type: store.FireCampaign, Scope: e.Scope(), FireOn: on})
		}
	}
}

func sameTimePtr(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
