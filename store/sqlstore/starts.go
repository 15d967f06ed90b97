package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"careflow/store"
)

// statusStarting marks a start or broadcast a node is resolving under a lease; readers see
// it as pending, which is what it still is to the API.
const statusStarting = "starting"

func apiStatus(s string) string {
	if s == statusStarting {
		return store.StartPending
	}
	return s
}

const startColumns = `id, uuid, workspace_id, flow_uuid, type, status, contact_uuids, group_uuids, urns, query, exclusions,
	exclude_groups, params, parent_summary, created_by, contact_count, remaining, error, created_on, modified_on`

func scanStart(row interface{ Scan(...any) error }) (*store.FlowStart, error) {
	var st store.FlowStart
	var contacts, groups, urns, excl, exclGroups, params, parent string
	var created, modified int64
	if err := row.Scan(&st.ID, &st.UUID, &st.WorkspaceID, &st.FlowUUID, &st.Type, &st.Status, &contacts, &groups, &urns,
		&st.Query, &excl, &exclGroups, &params, &parent, &st.CreatedBy, &st.ContactCount, &st.Remaining, &st.Error,
		&created, &modified); err != nil {
		return nil, err
	}
	st.Status = apiStatus(st.Status)
	st.ContactUUIDs, st.GroupUUIDs, st.URNs, st.ExcludeGroups = textList(contacts), textList(groups), textList(urns), textList(exclGroups)
	if excl != "" {
		_ = json.Unmarshal([]byte(excl), &st.Exclusions)
	}
	st.Params, st.ParentSummary = textRaw(params), textRaw(parent)
	st.CreatedOn, st.ModifiedOn = fromMS(created), fromMS(modified)
	return &st, nil
}

// insertStart stores st as pending, setting ID, UUID and CreatedOn.
func insertStart(ctx context.Context, tx *stmtTx, st *store.FlowStart, now int64) error {
	if st.UUID == "" {
		st.UUID = newUUID()
	}
	if st.CreatedOn.IsZero() {
		st.CreatedOn = fromMS(now)
	}
	st.ModifiedOn, st.Status = st.CreatedOn, store.StartPending
	excl := ""
	if st.Exclusions != (store.Exclusions{}) {
		b, _ := json.Marshal(st.Exclusions)
		excl = string(b)
	}
	err := tx.queryRow(ctx, `INSERT INTO flow_starts (uuid, workspace_id, flow_uuid, type, status, contact_uuids, group_uuids, urns,
		query, exclusions, exclude_groups, params, parent_summary, created_by, created_on, modified_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
		st.UUID, st.WorkspaceID, st.FlowUUID, st.Type, st.Status, listText(st.ContactUUIDs), listText(st.GroupUUIDs),
		listText(st.URNs), st.Query, excl, listText(st.ExcludeGroups), rawText(st.Params), rawText(st.ParentSummary),
		st.CreatedBy, ms(st.CreatedOn)).Scan(&st.ID)
	if err != nil {
		return fmt.Errorf("create start: %w", err)
	}
	return nil
}

// CreateStart implements store.StartStore.
func (s *Store) CreateStart(ctx context.Context, st *store.FlowStart) error {
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		return insertStart(ctx, tx, st, s.nowMS())
	})
}

// GetStart implements store.StartStore.
func (s *Store) GetStart(ctx context.Context, id int64) (*store.FlowStart, error) {
	st, err := scanStart(s.DB.QueryRowContext(ctx, `SELECT `+startColumns+` FROM flow_starts WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("get start %d", id))
	}
	return st, nil
}

// GetStarts implements store.StartStore.
func (s *Store) GetStarts(ctx context.Context, ids []int64) ([]*store.FlowStart, error) {
	var out []*store.FlowStart
	for _, chunk := range chunks(ids, chunkSize) {
		in, args := inList(nil, chunk)
		rows, err := s.DB.QueryContext(ctx, `SELECT `+startColumns+` FROM flow_starts WHERE id IN (`+in+`) ORDER BY id`, args...)
		sts, err := collect(rows, err, func(r *sql.Rows) (*store.FlowStart, error) { return scanStart(r) })
		if err != nil {
			return nil, fmt.Errorf("get starts: %w", err)
		}
		out = append(out, sts...)
	}
	return out, nil
}

// ListStarts implements store.StartStore.
func (s *Store) ListStarts(ctx context.Context, workspaceID int64, beforeID int64, limit int) ([]*store.FlowStart, error) {
	q, args := pageSQL(`SELECT `+startColumns+` FROM flow_starts`, workspaceID, beforeID, limit)
	rows, err := s.DB.QueryContext(ctx, q, args...)
	sts, err := collect(rows, err, func(r *sql.Rows) (*store.FlowStart, error) { return scanStart(r) })
	if err != nil {
		return nil, fmt.Errorf("list starts: %w", err)
	}
	return sts, nil
}

// pageSQL lists a workspace's rows newest first, before beforeID when not 0.
func pageSQL(sel string, workspaceID, beforeID int64, limit int) (string, []any) {
	q, args := sel+` WHERE workspace_id = $1`, []any{workspaceID}
	if beforeID > 0 {
		args = append(args, beforeID)
		q += fmt.Sprintf(` AND id < $%d`, len(args))
	}
	q += ` ORDER BY id DESC`
	if limit > 0 {
		args = append(args, limit)
		q += fmt.Sprintf(` LIMIT $%d`, len(args))
	}
	return q, args
}

// claimPending leases the oldest pending (or abandoned starting) row of table. Pending rows
// have no lease, so one condition finds both.
func (s *Store) claimPending(ctx context.Context, table, columns, owner string, now, leaseUntil time.Time,
	scan func(row interface{ Scan(...any) error }) error) (bool, error) {
	found := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := scan(tx.QueryRowContext(ctx, `UPDATE `+table+` SET status = 'starting', lease_owner = $1, lease_until = $2
			WHERE id = (SELECT id FROM `+table+` WHERE status IN ('pending', 'starting') AND lease_until < $3
			ORDER BY id LIMIT 1`+s.Dialect.SkipLocked+`) RETURNING `+columns, owner, ms(leaseUntil), ms(now)))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		found = err == nil
		return err
	})
	return found, err
}

// ClaimPendingStart implements store.StartStore.
func (s *Store) ClaimPendingStart(ctx context.Context, owner string, now, leaseUntil time.Time) (*store.FlowStart, error) {
	var st *store.FlowStart
	found, err := s.claimPending(ctx, "flow_starts", startColumns, owner, now, leaseUntil, func(row interface{ Scan(...any) error }) error {
		var err error
		st, err = scanStart(row)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim start: %w", err)
	}
	if !found {
		return nil, nil
	}
	return st, nil
}

// queueTasks inserts one task of typ for each contact, many rows per statement: a start to
// 100,000 contacts is 1,000 statements, not 100,000. Not more rows each: the SQLite driver's
// parameter binding grows with the square of a statement's parameters (100,000 tasks took
// 1.6 s at 1,000 rows a statement, 1.0 s at 100).
func queueTasks(ctx context.Context, tx *stmtTx, workspaceID int64, typ string, refID int64, contactIDs []int64, now int64) error {
	const rowsPer = 100
	for _, chunk := range chunks(contactIDs, rowsPer) {
		q := make([]byte, 0, 128+14*len(chunk))
		q = append(q, `INSERT INTO contact_tasks (workspace_id, type, ref_id, created_on, contact_id) VALUES `...)
		args := make([]any, 0, len(chunk)+4)
		args = append(args, workspaceID, typ, refID, now)
		for i, id := range chunk {
			if i > 0 {
				q = append(q, ',')
			}
			args = append(args, id)
			q = fmt.Appendf(q, "($1, $2, $3, $4, $%d)", len(args))
		}
		if _, err := tx.exec(ctx, string(q), args...); err != nil {
			return fmt.Errorf("queue %s tasks: %w", typ, err)
		}
	}
	return nil
}

// queueResolved records a resolved start or broadcast: its tasks, its count and status. An
// interrupted one queues nothing.
func (s *Store) queueResolved(ctx context.Context, table, typ string, id int64, contactIDs []int64, now time.Time) error {
	seen := make(map[int64]bool, len(contactIDs))
	ids := make([]int64, 0, len(contactIDs))
	for _, c := range contactIDs {
		if !seen[c] {
			seen[c] = true
			ids = append(ids, c)
		}
	}
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		var workspaceID int64
		var status string
		err := tx.QueryRowContext(ctx, `SELECT workspace_id, status FROM `+table+` WHERE id = $1`+s.Dialect.ForUpdate, id).Scan(&workspaceID, &status)
		if err != nil {
			return notFound(err, fmt.Sprintf("queue %s %d", typ, id))
		}
		if status == store.StartInterrupted || status == store.StartFailed {
			return nil
		}
		if err := queueTasks(ctx, tx, workspaceID, typ, id, ids, ms(now)); err != nil {
			return err
		}
		next := store.StartQueued
		if len(ids) == 0 {
			next = store.StartCompleted
		}
		_, err = tx.ExecContext(ctx, `UPDATE `+table+` SET status = $1, contact_count = $2, remaining = $2, modified_on = $3,
			lease_owner = '', lease_until = 0 WHERE id = $4`, next, len(ids), ms(now), id)
		if err != nil {
			return fmt.Errorf("queue %s %d: %w", typ, id, err)
		}
		return nil
	})
}

// QueueStart implements store.StartStore.
func (s *Store) QueueStart(ctx context.Context, startID int64, contactIDs []int64, now time.Time) error {
	return s.queueResolved(ctx, "flow_starts", store.TaskStart, startID, contactIDs, now)
}

// setEnded moves a start or broadcast to a final status.
func (s *Store) setEnded(ctx context.Context, table string, id int64, status, errText string, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE `+table+` SET status = $1, error = $2, modified_on = $3, lease_owner = '', lease_until = 0
			WHERE id = $4`, status, errText, ms(now), id)
		return affected(res, err, fmt.Sprintf("end %s %d", table, id))
	})
}

// FailStart implements store.StartStore.
func (s *Store) FailStart(ctx context.Context, startID int64, errText string, now time.Time) error {
	return s.setEnded(ctx, "flow_starts", startID, store.StartFailed, errText, now)
}

// InterruptStart implements store.StartStore.
func (s *Store) InterruptStart(ctx context.Context, startID int64, now time.Time) error {
	return s.setEnded(ctx, "flow_starts", startID, store.StartInterrupted, "", now)
}

// advance counts done tasks against a start or broadcast: the first makes it started, the
// last completed; a final status (interrupted, failed) stays.
func advance(ctx context.Context, tx *stmtTx, table string, id int64, done int, now int64) error {
	if _, err := tx.exec(ctx, `UPDATE `+table+` SET
		status = CASE WHEN status NOT IN ('queued', 'started') THEN status WHEN remaining <= $1 THEN 'completed' ELSE 'started' END,
		remaining = CASE WHEN remaining > $1 THEN remaining - $1 ELSE 0 END, modified_on = $2 WHERE id = $3`, done, now, id); err != nil {
		return fmt.Errorf("advance %s %d: %w", table, id, err)
	}
	return nil
}
