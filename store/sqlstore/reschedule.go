package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"careflow/store"
)

// writeReschedule writes what resched says a contact's change does to its campaign fires, in
// the transaction of the change: the events' fires of the contact (every version) go, then
// the new fires are stored.
func writeReschedule(ctx context.Context, tx *stmtTx, resched store.Reschedule, before, after *store.Contact) error {
	clears, fires := resched(before, after)
	for _, ev := range clears {
		prefix := fmt.Sprintf("%d:", ev)
		if _, err := tx.exec(ctx, `DELETE FROM contact_fires WHERE contact_id = $1 AND type = 'C' AND substr(scope, 1, $2) = $3`,
			after.ID, len(prefix), prefix); err != nil {
			return fmt.Errorf("clear campaign fires of contact %d: %w", after.ID, err)
		}
	}
	if len(fires) == 0 {
		return nil
	}
	for _, f := range fires {
		if f.ContactID == 0 {
			f.ContactID = after.ID
		}
	}
	return upsertFires(ctx, tx, fires)
}

// rescheduleMembers reschedules the contacts among ids whose membership of the group changes
// (joining or leaving it). It runs before the membership is written, so each contact is read
// as it was; on PostgreSQL the contacts' rows are locked first, so a contact written
// concurrently is read as committed and not changed again until this transaction ends.
func (s *Store) rescheduleMembers(ctx context.Context, tx *stmtTx, groupID int64, ids []int64, joining bool, resched store.Reschedule) error {
	if resched == nil || len(ids) == 0 {
		return nil
	}
	for _, chunk := range chunks(ids, chunkSize) {
		if s.Dialect.ForUpdate != "" {
			in, args := inList(nil, chunk)
			rows, err := tx.QueryContext(ctx, `SELECT id FROM contacts WHERE id IN (`+in+`) ORDER BY id`+s.Dialect.ForUpdate, args...)
			if _, err := collect(rows, err, scanInt64); err != nil {
				return fmt.Errorf("lock group %d members: %w", groupID, err)
			}
		}
		contacts, err := loadContactsByID(ctx, tx, 0, chunk)
		if err != nil {
			return fmt.Errorf("read group %d members: %w", groupID, err)
		}
		for _, before := range contacts {
			if slices.Contains(before.Groups, groupID) == joining {
				continue // no change of membership
			}
			after := *before
			if joining {
				after.Groups = append(slices.Clone(before.Groups), groupID)
			} else {
				after.Groups = slices.DeleteFunc(slices.Clone(before.Groups), func(id int64) bool { return id == groupID })
			}
			if err := writeReschedule(ctx, tx, resched, before, &after); err != nil {
				return err
			}
		}
	}
	return nil
}
