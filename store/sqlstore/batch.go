package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"careflow/internal/memo"
	"careflow/store"
)

// defaultBatchRows is Dialect.BatchRows when unset.
const defaultBatchRows = 32

// valuesSQL renders rows groups of cols placeholders: ($1, $2), ($3, $4), ... The texts are
// remembered: a commit asks for the same few shapes over and over, hundreds of placeholders each.
func valuesSQL(rows, cols int) string {
	return valuesTexts.Get([2]int{rows, cols}, renderValues)
}

var valuesTexts = memo.New[[2]int, string](1024)

func renderValues(shape [2]int) string {
	var sb strings.Builder
	n := 0
	for r := range shape[0] {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for c := range shape[1] {
			if c > 0 {
				sb.WriteString(", ")
			}
			n++
			sb.WriteByte('$')
			sb.WriteString(strconv.Itoa(n))
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

// writeRows runs head VALUES (...), ... tail over rows, Dialect.BatchRows at a time (full
// chunks share one statement text, prepared once per transaction); scan reads what a
// RETURNING tail returns.
func writeRows(ctx context.Context, tx *stmtTx, head, tail string, rows [][]any, scan func(*sql.Rows) error) error {
	for _, chunk := range chunks(rows, tx.batch) {
		q := head + ` VALUES ` + valuesSQL(len(chunk), len(chunk[0])) + ` ` + tail
		args := make([]any, 0, len(chunk)*len(chunk[0]))
		for _, r := range chunk {
			args = append(args, r...)
		}
		if scan == nil {
			if _, err := tx.exec(ctx, q, args...); err != nil {
				return err
			}
			continue
		}
		rs, err := tx.query(ctx, q, args...)
		if err != nil {
			return err
		}
		for rs.Next() {
			if err := scan(rs); err != nil {
				rs.Close()
				return err
			}
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
	}
	return nil
}

// lastByKey keeps the last of the values with the same key, in order of first appearance:
// PostgreSQL refuses an upsert that would touch one row twice.
func lastByKey[T any, K comparable](vals []T, key func(T) K) []T {
	at := make(map[K]int, len(vals))
	var out []T
	for _, v := range vals {
		k := key(v)
		if i, ok := at[k]; ok {
			out[i] = v
			continue
		}
		at[k] = len(out)
		out = append(out, v)
	}
	return out
}

// upsertSessions writes sessions by UUID.
func upsertSessions(ctx context.Context, tx *stmtTx, sessions []*store.Session, now int64) error {
	rows := make([][]any, 0, len(sessions))
	for _, ss := range lastByKey(sessions, func(ss *store.Session) string { return ss.UUID }) {
		if ss.CreatedOn.IsZero() {
			ss.CreatedOn = fromMS(now)
		}
		mod := ms(ss.ModifiedOn)
		if mod == 0 {
			mod = now
		}
		state := ss.State
		if state == nil {
			state = []byte{}
		}
		rows = append(rows, []any{tx.uc.id(ss.UUID), ss.WorkspaceID, ss.ContactID, ss.Type, ss.Status, state,
			tx.uc.id(ss.CurrentFlow), tx.uc.id(ss.LastSprintUUID), ms(ss.CreatedOn), mod, msPtr(ss.EndedOn)})
	}
	if err := writeRows(ctx, tx, `INSERT INTO sessions (uuid, workspace_id, contact_id, type, status, state, current_flow,
		last_sprint_uuid, created_on, modified_on, ended_on)`, `ON CONFLICT (uuid) DO UPDATE SET status = excluded.status,
		state = excluded.state, current_flow = excluded.current_flow, last_sprint_uuid = excluded.last_sprint_uuid,
		modified_on = excluded.modified_on, ended_on = excluded.ended_on`, rows, nil); err != nil {
		return fmt.Errorf("write sessions: %w", err)
	}
	return nil
}

// upsertRuns writes runs by UUID.
func upsertRuns(ctx context.Context, tx *stmtTx, runs []*store.Run, now int64) error {
	rows := make([][]any, 0, len(runs))
	for _, r := range lastByKey(runs, func(r *store.Run) string { return r.UUID }) {
		if r.CreatedOn.IsZero() {
			r.CreatedOn = fromMS(now)
		}
		mod := ms(r.ModifiedOn)
		if mod == 0 {
			mod = now
		}
		rows = append(rows, []any{tx.uc.id(r.UUID), r.WorkspaceID, tx.uc.id(r.SessionUUID), r.ContactID, tx.uc.id(r.FlowUUID),
			r.Status, r.Responded, rawText(r.Results), rawText(r.Path), r.StartID, ms(r.CreatedOn), mod, msPtr(r.ExitedOn)})
	}
	if err := writeRows(ctx, tx, `INSERT INTO runs (uuid, workspace_id, session_uuid, contact_id, flow_uuid, status, responded,
		results, path, start_id, created_on, modified_on, exited_on)`, `ON CONFLICT (uuid) DO UPDATE SET status = excluded.status,
		responded = excluded.responded, results = excluded.results, path = excluded.path, modified_on = excluded.modified_on,
		exited_on = excluded.exited_on`, rows, nil); err != nil {
		return fmt.Errorf("write runs: %w", err)
	}
	return nil
}

// insertMsgs stores outgoing messages, setting their IDs. RETURNING promises no order, so
// each returned ID is matched to its message by UUID.
func insertMsgs(ctx context.Context, tx *stmtTx, msgs []*store.Msg, now int64) error {
	byUUID := make(map[string][]*store.Msg, len(msgs))
	rows := make([][]any, len(msgs))
	for i, m := range msgs {
		msgDefaults(m, now)
		byUUID[m.UUID] = append(byUUID[m.UUID], m)
		rows[i] = msgRow(tx.uc, m)
	}
	err := writeRows(ctx, tx, `INSERT INTO msgs (`+msgInsertColumns+`)`, `RETURNING id, uuid`, rows, func(r *sql.Rows) error {
		var id int64
		var uuid string
		if err := r.Scan(&id, ud(&uuid)); err != nil {
			return err
		}
		if ms := byUUID[uuid]; len(ms) > 0 {
			ms[0].ID, byUUID[uuid] = id, ms[1:]
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("insert msgs: %w", err)
	}
	return nil
}

type fireKey struct {
	contactID  int64
	typ, scope string
}

// upsertFires stores fires, replacing any with the same (contact, type, scope), and sets
// their IDs.
func upsertFires(ctx context.Context, tx *stmtTx, fires []*store.Fire) error {
	key := func(f *store.Fire) fireKey { return fireKey{f.ContactID, f.Type, f.Scope} }
	byKey := make(map[fireKey][]*store.Fire, len(fires))
	for _, f := range fires {
		byKey[key(f)] = append(byKey[key(f)], f)
	}
	uniq := lastByKey(fires, key)
	rows := make([][]any, len(uniq))
	for i, f := range uniq {
		rows[i] = []any{f.WorkspaceID, f.ContactID, f.Type, f.Scope, tx.uc.id(f.SessionUUID), tx.uc.id(f.SprintUUID), ms(f.FireOn)}
	}
	err := writeRows(ctx, tx, `INSERT INTO contact_fires (workspace_id, contact_id, type, scope, session_uuid, sprint_uuid, fire_on)`,
		`ON CONFLICT (contact_id, type, scope) DO UPDATE SET workspace_id = excluded.workspace_id,
		session_uuid = excluded.session_uuid, sprint_uuid = excluded.sprint_uuid, fire_on = excluded.fire_on
		RETURNING id, contact_id, type, scope`, rows, func(r *sql.Rows) error {
			var id int64
			var k fireKey
			if err := r.Scan(&id, &k.contactID, &k.typ, &k.scope); err != nil {
				return err
			}
			for _, f := range byKey[k] {
				f.ID = id
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("write fires: %w", err)
	}
	return nil
}

// deleteTasks removes done tasks.
func deleteTasks(ctx context.Context, tx *stmtTx, ids []int64) error {
	for _, chunk := range chunks(ids, tx.batch) {
		in, args := inList(nil, chunk)
		if _, err := tx.exec(ctx, `DELETE FROM contact_tasks WHERE id IN (`+in+`)`, args...); err != nil {
			return fmt.Errorf("delete done tasks: %w", err)
		}
	}
	return nil
}
