package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"careflow/store"
)

const broadcastColumns = `id, uuid, workspace_id, translations, base_language, contact_uuids, group_uuids, urns, query, status,
	created_by, contact_count, remaining, error, parent_session, created_on, modified_on`

func scanBroadcast(row interface{ Scan(...any) error }) (*store.Broadcast, error) {
	var b store.Broadcast
	var trans, contacts, groups, urns string
	var created, modified int64
	if err := row.Scan(&b.ID, &b.UUID, &b.WorkspaceID, &trans, &b.BaseLanguage, &contacts, &groups, &urns, &b.Query, &b.Status,
		&b.CreatedBy, &b.ContactCount, &b.Remaining, &b.Error, &b.ParentSession, &created, &modified); err != nil {
		return nil, err
	}
	b.Status = apiStatus(b.Status)
	b.Translations, b.ContactUUIDs, b.GroupUUIDs, b.URNs = textRaw(trans), textList(contacts), textList(groups), textList(urns)
	b.CreatedOn, b.ModifiedOn = fromMS(created), fromMS(modified)
	return &b, nil
}

// insertBroadcast stores b as pending, setting ID, UUID and CreatedOn.
func insertBroadcast(ctx context.Context, tx *stmtTx, b *store.Broadcast, now int64) error {
	if b.UUID == "" {
		b.UUID = newUUID()
	}
	if b.CreatedOn.IsZero() {
		b.CreatedOn = fromMS(now)
	}
	b.ModifiedOn, b.Status = b.CreatedOn, store.StartPending
	err := tx.queryRow(ctx, `INSERT INTO broadcasts (uuid, workspace_id, translations, base_language, contact_uuids, group_uuids,
		urns, query, status, created_by, parent_session, created_on, modified_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		b.UUID, b.WorkspaceID, rawText(b.Translations), b.BaseLanguage, listText(b.ContactUUIDs), listText(b.GroupUUIDs),
		listText(b.URNs), b.Query, b.Status, b.CreatedBy, b.ParentSession, ms(b.CreatedOn)).Scan(&b.ID)
	if err != nil {
		return fmt.Errorf("create broadcast: %w", err)
	}
	return nil
}

// CreateBroadcast implements store.StartStore.
func (s *Store) CreateBroadcast(ctx context.Context, b *store.Broadcast) error {
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		return insertBroadcast(ctx, tx, b, s.nowMS())
	})
}

// GetBroadcast implements store.StartStore.
func (s *Store) GetBroadcast(ctx context.Context, id int64) (*store.Broadcast, error) {
	b, err := scanBroadcast(s.DB.QueryRowContext(ctx, `SELECT `+broadcastColumns+` FROM broadcasts WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("get broadcast %d", id))
	}
	return b, nil
}

// GetBroadcasts implements store.StartStore.
func (s *Store) GetBroadcasts(ctx context.Context, ids []int64) ([]*store.Broadcast, error) {
	var out []*store.Broadcast
	for _, chunk := range chunks(ids, chunkSize) {
		in, args := inList(nil, chunk)
		rows, err := s.DB.QueryContext(ctx, `SELECT `+broadcastColumns+` FROM broadcasts WHERE id IN (`+in+`) ORDER BY id`, args...)
		bs, err := collect(rows, err, func(r *sql.Rows) (*store.Broadcast, error) { return scanBroadcast(r) })
		if err != nil {
			return nil, fmt.Errorf("get broadcasts: %w", err)
		}
		out = append(out, bs...)
	}
	return out, nil
}

// ListBroadcasts implements store.StartStore.
func (s *Store) ListBroadcasts(ctx context.Context, workspaceID int64, beforeID int64, limit int) ([]*store.Broadcast, error) {
	q, args := pageSQL(`SELECT `+broadcastColumns+` FROM broadcasts`, workspaceID, beforeID, limit)
	rows, err := s.DB.QueryContext(ctx, q, args...)
	bs, err := collect(rows, err, func(r *sql.Rows) (*store.Broadcast, error) { return scanBroadcast(r) })
	if err != nil {
		return nil, fmt.Errorf("list broadcasts: %w", err)
	}
	return bs, nil
}

// ClaimPendingBroadcast implements store.StartStore.
func (s *Store) ClaimPendingBroadcast(ctx context.Context, owner string, now, leaseUntil time.Time) (*store.Broadcast, error) {
	var b *store.Broadcast
	found, err := s.claimPending(ctx, "broadcasts", broadcastColumns, owner, now, leaseUntil, func(row interface{ Scan(...any) error }) error {
		var err error
		b, err = scanBroadcast(row)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim broadcast: %w", err)
	}
	if !found {
		return nil, nil
	}
	return b, nil
}

// QueueBroadcast implements store.StartStore.
func (s *Store) QueueBroadcast(ctx context.Context, broadcastID int64, contactIDs []int64, now time.Time) error {
	return s.queueResolved(ctx, "broadcasts", store.TaskBroadcast, broadcastID, contactIDs, now)
}

// FailBroadcast implements store.StartStore.
func (s *Store) FailBroadcast(ctx context.Context, broadcastID int64, errText string, now time.Time) error {
	return s.setEnded(ctx, "broadcasts", broadcastID, store.StartFailed, errText, now)
}
