package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"careflow/store"
)

const scheduleCols = `id, workspace_id, uuid, period, start_on, days_of_week, paused, next_fire, last_fire, kind, action, created_on, modified_on`

// scheduleAction is the stored template of what a schedule fires.
func scheduleAction(s *store.Schedule) (string, string, error) {
	var kind string
	var v any
	switch {
	case s.FlowStart != nil && s.Broadcast == nil:
		kind, v = "flow", s.FlowStart
	case s.Broadcast != nil && s.FlowStart == nil:
		kind, v = "broadcast", s.Broadcast
	default:
		return "", "", fmt.Errorf("schedule %s: exactly one of a flow start and a broadcast", s.UUID)
	}
	b, err := json.Marshal(v)
	return kind, string(b), err
}

func scanSchedule(r interface{ Scan(...any) error }) (*store.Schedule, error) {
	var s store.Schedule
	var start, next, last, created, modified int64
	var kind, action string
	if err := r.Scan(&s.ID, &s.WorkspaceID, &s.UUID, &s.Repeat, &start, &s.DaysOfWeek, &s.Paused, &next, &last, &kind, &action,
		&created, &modified); err != nil {
		return nil, err
	}
	s.Start, s.NextFire, s.LastFire = fromMS(start), fromMSPtr(next), fromMSPtr(last)
	s.CreatedOn, s.ModifiedOn = fromMS(created), fromMS(modified)
	var err error
	if kind == "flow" {
		s.FlowStart = &store.FlowStart{}
		err = json.Unmarshal([]byte(action), s.FlowStart)
	} else {
		s.Broadcast = &store.Broadcast{}
		err = json.Unmarshal([]byte(action), s.Broadcast)
	}
	if err != nil {
		return nil, fmt.Errorf("schedule %s action: %w", s.UUID, err)
	}
	return &s, nil
}

// SaveSchedule implements store.ScheduleStore.
func (s *Store) SaveSchedule(ctx context.Context, sc *store.Schedule) error {
	if sc.UUID == "" {
		sc.UUID = newUUID()
	}
	kind, action, err := scheduleAction(sc)
	if err != nil {
		return err
	}
	now := s.nowMS()
	if sc.CreatedOn.IsZero() {
		sc.CreatedOn = fromMS(now)
	}
	sc.ModifiedOn = fromMS(now)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if sc.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO schedules (workspace_id, uuid, period, start_on, days_of_week, paused, next_fire,
				last_fire, kind, action, created_on, modified_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
				sc.WorkspaceID, sc.UUID, sc.Repeat, ms(sc.Start), sc.DaysOfWeek, sc.Paused, msPtr(sc.NextFire), msPtr(sc.LastFire),
				kind, action, ms(sc.CreatedOn), now).Scan(&sc.ID)
			if isUnique(err) {
				return errConflict
			}
			if err != nil {
				return fmt.Errorf("create schedule: %w", err)
			}
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE schedules SET period = $1, start_on = $2, days_of_week = $3, paused = $4, next_fire = $5,
			last_fire = $6, kind = $7, action = $8, modified_on = $9 WHERE id = $10 AND workspace_id = $11`,
			sc.Repeat, ms(sc.Start), sc.DaysOfWeek, sc.Paused, msPtr(sc.NextFire), msPtr(sc.LastFire), kind, action, now, sc.ID, sc.WorkspaceID)
		return affected(res, err, "update schedule")
	})
}

// GetSchedule implements store.ScheduleStore.
func (s *Store) GetSchedule(ctx context.Context, workspaceID int64, uuid string) (*store.Schedule, error) {
	sc, err := scanSchedule(s.DB.QueryRowContext(ctx, `SELECT `+scheduleCols+` FROM schedules WHERE workspace_id = $1 AND uuid = $2`, workspaceID, uuid))
	if err != nil {
		return nil, notFound(err, "schedule "+uuid)
	}
	return sc, nil
}

// ListSchedules implements store.ScheduleStore.
func (s *Store) ListSchedules(ctx context.Context, workspaceID int64) ([]*store.Schedule, error) {
	q, args := `SELECT `+scheduleCols+` FROM schedules`, []any{}
	if workspaceID != 0 {
		q, args = q+` WHERE workspace_id = $1`, append(args, workspaceID)
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY CASE WHEN next_fire = 0 THEN 1 ELSE 0 END, next_fire, id`, args...)
	out, err := collect(rows, err, func(r *sql.Rows) (*store.Schedule, error) { return scanSchedule(r) })
	if err != nil {
		return nil, fmt.Errorf("list schedules: %w", err)
	}
	return out, nil
}

// DeleteSchedule implements store.ScheduleStore.
func (s *Store) DeleteSchedule(ctx context.Context, workspaceID int64, uuid string) error {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM schedules WHERE workspace_id = $1 AND uuid = $2`, workspaceID, uuid)
	return affected(res, err, "delete schedule")
}

// FireDueSchedules implements store.ScheduleStore.
func (s *Store) FireDueSchedules(ctx context.Context, now time.Time, limit int, next func(*store.Schedule) *time.Time) (int, error) {
	n := 0
	err := s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		rows, err := tx.QueryContext(ctx, `SELECT `+scheduleCols+` FROM schedules WHERE next_fire > 0 AND next_fire <= $1 AND NOT paused
			ORDER BY next_fire LIMIT $2`+s.Dialect.SkipLocked, ms(now), limit)
		due, err := collect(rows, err, func(r *sql.Rows) (*store.Schedule, error) { return scanSchedule(r) })
		if err != nil {
			return fmt.Errorf("due schedules: %w", err)
		}
		nowMS := ms(now)
		for _, sc := range due {
			if st := sc.FlowStart; st != nil {
				st.ID, st.UUID, st.WorkspaceID, st.CreatedOn = 0, "", sc.WorkspaceID, time.Time{}
				if err := insertStart(ctx, tx, st, nowMS); err != nil {
					return err
				}
			} else {
				b := sc.Broadcast
				b.ID, b.UUID, b.WorkspaceID, b.CreatedOn = 0, "", sc.WorkspaceID, time.Time{}
				if err := insertBroadcast(ctx, tx, b, nowMS); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE schedules SET next_fire = $1, last_fire = $2, modified_on = $2 WHERE id = $3`,
				msPtr(next(sc)), nowMS, sc.ID); err != nil {
				return fmt.Errorf("advance schedule %s: %w", sc.UUID, err)
			}
		}
		n = len(due)
		return nil
	})
	return n, err
}
