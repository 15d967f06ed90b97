package runtime

import (
	"context"

	"careflow/store"
)

// AddGroupMembers adds contacts to a manual group; the fires of the campaigns on that group
// are scheduled for them in the same transaction.
func (r *Runtime) AddGroupMembers(ctx context.Context, wsID, groupID int64, contactIDs []int64) error {
	resched, err := r.groupReschedule(ctx, wsID, groupID)
	if err != nil {
		return err
	}
	return r.Store.AddGroupMembers(ctx, groupID, contactIDs, resched)
}

// RemoveGroupMembers removes contacts from a manual group; their fires of the campaigns on
// that group go in the same transaction.
func (r *Runtime) RemoveGroupMembers(ctx context.Context, wsID, groupID int64, contactIDs []int64) error {
	resched, err := r.groupReschedule(ctx, wsID, groupID)
	if err != nil {
		return err
	}
	return r.Store.RemoveGroupMembers(ctx, groupID, contactIDs, resched)
}

func (r *Runtime) groupReschedule(ctx context.Context, wsID, groupID int64) (store.Reschedule, error) {
	w, err := r.Workspace(ctx, wsID)
	if err != nil {
		return nil, err
	}
	return w.groupReschedule(groupID, r.Clock.Now()), nil
}
