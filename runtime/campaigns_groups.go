package runtime

import (
	"context"
	"strconv"

	"careflow/store"
)

// AddGroupMembers adds contacts to a manual group and schedules the fires of the campaigns
// on that group for them.
func (r *Runtime) AddGroupMembers(ctx context.Context, wsID, groupID int64, contactIDs []int64) error {
	if err := r.Store.AddGroupMembers(ctx, groupID, contactIDs); err != nil {
		return err
	}
	return r.groupMembersChanged(ctx, wsID, groupID, contactIDs, nil)
}

// RemoveGroupMembers removes contacts from a manual group and drops their fires of the
// campaigns on that group.
func (r *Runtime) RemoveGroupMembers(ctx context.Context, wsID, groupID int64, contactIDs []int64) error {
	if err := r.Store.RemoveGroupMembers(ctx, groupID, contactIDs); err != nil {
		return err
	}
	return r.groupMembersChanged(ctx, wsID, groupID, nil, contactIDs)
}

// groupMembersChanged moves campaign fires after a group's members changed outside a contact
// scene (manual membership, a smart group's re-evaluation). It runs right after the
// membership's own transaction, not inside it; a crash in between leaves the contacts to the
// next change of their dates or groups.
func (r *Runtime) groupMembersChanged(ctx context.Context, wsID, groupID int64, added, removed []int64) error {
	w, err := r.Workspace(ctx, wsID)
	if err != nil || w.campaigns == nil {
		return err
	}
	events := w.campaigns.byGroup[groupID]
	if len(events) == 0 {
		return nil
	}
	if len(removed) > 0 {
		for _, e := range events {
			prefix := strconv.FormatInt(e.ID, 10) + ":"
			if _, err := r.Store.DeleteFires(ctx, wsID, store.FireCampaign, prefix, removed); err != nil {
				return err
			}
		}
	}
	if len(added) == 0 {
		return nil
	}
	loc, now := w.location(), r.Clock.Now()
	for i := 0; i < len(added); i += scheduleScanBatch {
		chunk := added[i:min(i+scheduleScanBatch, len(added))]
		contacts, err := r.Store.GetContacts(ctx, wsID, chunk)
		if err != nil {
			return err
		}
		var fires []*store.Fire
		for _, c := range contacts {
			if c.Status != "active" {
				continue
			}
			dates := readFieldDates(c.Fields)
			for _, e := range events {
				base, ok := campaignBase(e.RelativeTo, c.CreatedOn, c.LastSeenOn, dates)
				if !ok {
					continue
				}
				if on, ok := campaignFireTime(e.CampaignEvent, loc, base, now); ok {
					fires = append(fires, &store.Fire{WorkspaceID: wsID, ContactID: c.ID, Type: store.FireCampaign, Scope: e.Scope(), FireOn: on})
				}
			}
		}
		if err := r.Store.InsertFires(ctx, fires); err != nil {
			return err
		}
	}
	return nil
}
