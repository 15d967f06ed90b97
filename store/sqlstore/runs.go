package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"careflow/store"
)

const runColumns = `uuid, workspace_id, session_uuid, contact_id, flow_uuid, status, responded, results, path, start_id,
	created_on, modified_on, exited_on`

// ListRuns implements store.RuntimeStore.
func (s *Store) ListRuns(ctx context.Context, workspaceID int64, q store.RunQuery) ([]*store.Run, error) {
	args := []any{workspaceID}
	var sb strings.Builder
	sb.WriteString(`SELECT ` + runColumns + ` FROM runs WHERE workspace_id = $1`)
	cond := func(sqlf string, v any) {
		args = append(args, v)
		fmt.Fprintf(&sb, sqlf, len(args))
	}
	if q.FlowUUID != "" {
		cond(` AND flow_uuid = $%d`, s.uc().id(q.FlowUUID))
	}
	if q.ContactID != 0 {
		cond(` AND contact_id = $%d`, q.ContactID)
	}
	if q.Responded != nil {
		cond(` AND responded = $%d`, *q.Responded)
	}
	if !q.ModifiedAfter.IsZero() {
		cond(` AND modified_on > $%d`, ms(q.ModifiedAfter))
	}
	if !q.ModifiedBefore.IsZero() {
		cond(` AND modified_on < $%d`, ms(q.ModifiedBefore))
	}
	if q.BeforeID != "" {
		cond(` AND uuid < $%d`, s.uc().id(q.BeforeID))
	}
	sb.WriteString(` ORDER BY uuid DESC`)
	if q.Limit > 0 {
		cond(` LIMIT $%d`, q.Limit)
	}
	rows, err := s.DB.QueryContext(ctx, sb.String(), args...)
	runs, err := collect(rows, err, func(r *sql.Rows) (*store.Run, error) {
		var run store.Run
		var results, path string
		var created, modified, exited int64
		err := r.Scan(ud(&run.UUID), &run.WorkspaceID, ud(&run.SessionUUID), &run.ContactID, ud(&run.FlowUUID), &run.Status, &run.Responded,
			&results, &path, &run.StartID, &created, &modified, &exited)
		run.Results, run.Path = textRaw(results), textRaw(path)
		run.CreatedOn, run.ModifiedOn, run.ExitedOn = fromMS(created), fromMS(modified), fromMSPtr(exited)
		return &run, err
	})
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return runs, nil
}

// insertHTTPLog stores l, setting its ID.
func insertHTTPLog(ctx context.Context, tx *stmtTx, l *store.HTTPLog, now int64) error {
	if l.CreatedOn.IsZero() {
		l.CreatedOn = fromMS(now)
	}
	err := tx.queryRow(ctx, `INSERT INTO http_logs (workspace_id, type, flow_uuid, channel_uuid, url, method, status_code, request,
		response, is_error, elapsed_ms, created_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		l.WorkspaceID, l.Type, l.FlowUUID, l.ChannelUUID, l.URL, l.Method, l.StatusCode, l.Request, l.Response, l.IsError,
		l.ElapsedMS, ms(l.CreatedOn)).Scan(&l.ID)
	if err != nil {
		return fmt.Errorf("insert http log: %w", err)
	}
	return nil
}

// InsertHTTPLogs implements store.RuntimeStore.
func (s *Store) InsertHTTPLogs(ctx context.Context, logs []*store.HTTPLog) error {
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		now := s.nowMS()
		for _, l := range logs {
			if err := insertHTTPLog(ctx, tx, l, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListHTTPLogs implements store.RuntimeStore.
func (s *Store) ListHTTPLogs(ctx context.Context, workspaceID int64, q store.HTTPLogQuery) ([]*store.HTTPLog, error) {
	args := []any{workspaceID}
	var sb strings.Builder
	sb.WriteString(`SELECT id, workspace_id, type, flow_uuid, channel_uuid, url, method, status_code, request, response, is_error,
		elapsed_ms, created_on FROM http_logs WHERE workspace_id = $1`)
	cond := func(sqlf string, v any) {
		args = append(args, v)
		fmt.Fprintf(&sb, sqlf, len(args))
	}
	if q.Type != "" {
		cond(` AND type = $%d`, q.Type)
	}
	if q.FlowUUID != "" {
		cond(` AND flow_uuid = $%d`, q.FlowUUID)
	}
	if q.ChannelUUID != "" {
		cond(` AND channel_uuid = $%d`, q.ChannelUUID)
	}
	if q.BeforeID != 0 {
		cond(` AND id < $%d`, q.BeforeID)
	}
	sb.WriteString(` ORDER BY id DESC`)
	if q.Limit > 0 {
		cond(` LIMIT $%d`, q.Limit)
	}
	rows, err := s.DB.QueryContext(ctx, sb.String(), args...)
	logs, err := collect(rows, err, func(r *sql.Rows) (*store.HTTPLog, error) {
		var l store.HTTPLog
		var created int64
		err := r.Scan(&l.ID, &l.WorkspaceID, &l.Type, &l.FlowUUID, &l.ChannelUUID, &l.URL, &l.Method, &l.StatusCode, &l.Request,
			&l.Response, &l.IsError, &l.ElapsedMS, &created)
		l.CreatedOn = fromMS(created)
		return &l, err
	})
	if err != nil {
		return nil, fmt.Errorf("list http logs: %w", err)
	}
	return logs, nil
}

// DeleteHTTPLogsBefore implements store.RuntimeStore.
func (s *Store) DeleteHTTPLogsBefore(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM http_logs WHERE created_on < $1`, ms(before))
		if err != nil {
			return fmt.Errorf("delete http logs: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}
