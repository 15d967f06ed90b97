package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"careflow/store"
)

// insertTask stores t, setting its ID (and CreatedOn when zero).
func insertTask(ctx context.Context, tx *stmtTx, t *store.ContactTask, now int64) error {
	if t.CreatedOn.IsZero() {
		t.CreatedOn = fromMS(now)
	}
	err := tx.queryRow(ctx, `INSERT INTO contact_tasks (workspace_id, contact_id, type, ref_id, payload, created_on)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		t.WorkspaceID, t.ContactID, t.Type, t.RefID, rawText(t.Payload), ms(t.CreatedOn)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("queue %s task for contact %d: %w", t.Type, t.ContactID, err)
	}
	return nil
}

// insertMsgTasks inserts tasks that each refer to a different message, many per statement,
// and sets their IDs by the message they refer to.
func insertMsgTasks(ctx context.Context, tx *stmtTx, tasks []*store.ContactTask, now int64) error {
	if len(tasks) == 0 {
		return nil
	}
	byRef := make(map[int64]*store.ContactTask, len(tasks))
	rows := make([][]any, len(tasks))
	for i, t := range tasks {
		if t.CreatedOn.IsZero() {
			t.CreatedOn = fromMS(now)
		}
		byRef[t.RefID] = t
		rows[i] = []any{t.WorkspaceID, t.ContactID, t.Type, t.RefID, rawText(t.Payload), ms(t.CreatedOn)}
	}
	err := writeRows(ctx, tx, `INSERT INTO contact_tasks (workspace_id, contact_id, type, ref_id, payload, created_on)`,
		`RETURNING id, ref_id`, rows, func(r *sql.Rows) error {
			var id, ref int64
			if err := r.Scan(&id, &ref); err != nil {
				return err
			}
			if t := byRef[ref]; t != nil {
				t.ID = id
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("queue message tasks: %w", err)
	}
	return nil
}

// ReceiveIncoming implements store.RuntimeStore. Each statement is prepared once for the
// batch, which is what makes hundreds of items per transaction cheap on SQLite.
func (s *Store) ReceiveIncoming(ctx context.Context, in []*store.Incoming, now time.Time) ([]store.Received, error) {
	var out []store.Received
	err := s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		out = make([]store.Received, len(in))
		nowMS := ms(now)
		wss, urns := make([]int64, len(in)), make([]store.NewContactURN, len(in))
		for i, it := range in {
			wss[i], urns[i] = it.WorkspaceID, it.URN
		}
		ids, created, err := resolveContacts(ctx, tx, wss, urns, nowMS)
		if err != nil {
			return err
		}
		// Messages, then their tasks, go in as multi-row statements (a message's task refers to
		// the message's id); other tasks one by one.
		var msgs []*store.Msg
		for i, it := range in {
			id := ids[i]
			out[i] = store.Received{ContactID: id, NewContact: created[i]}
			t := &it.Task
			t.WorkspaceID, t.ContactID = it.WorkspaceID, id
			if m := it.Msg; m != nil {
				m.WorkspaceID, m.ContactID, m.Incoming = it.WorkspaceID, id, true
				if m.URN == "" {
					m.URN = it.URN.Identity
				}
				if m.ChannelUUID == "" {
					m.ChannelUUID = it.URN.ChannelUUID
				}
				msgs = append(msgs, m)
			}
		}
		if len(msgs) > 0 {
			if err := insertMsgs(ctx, tx, msgs, nowMS); err != nil {
				return err
			}
		}
		// Task ids keep arrival order (a contact's tasks are handled by id): a run of message
		// tasks goes in as one statement, in order, before the event that follows it.
		var msgTasks []*store.ContactTask
		for i, it := range in {
			t := &it.Task
			if m := it.Msg; m != nil {
				out[i].MsgID, t.RefID = m.ID, m.ID
				msgTasks = append(msgTasks, t)
				continue
			}
			if err := insertMsgTasks(ctx, tx, msgTasks, nowMS); err != nil {
				return err
			}
			msgTasks = msgTasks[:0]
			if err := insertTask(ctx, tx, t, nowMS); err != nil {
				return err
			}
			out[i].TaskID = t.ID
		}
		if err := insertMsgTasks(ctx, tx, msgTasks, nowMS); err != nil {
			return err
		}
		for i, it := range in {
			if it.Msg != nil {
				out[i].TaskID = it.Task.ID
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("receive: %w", err)
	}
	return out, nil
}

// QueueTasks implements store.RuntimeStore.
func (s *Store) QueueTasks(ctx context.Context, tasks []*store.ContactTask) error {
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		now := s.nowMS()
		for _, t := range tasks {
			if err := insertTask(ctx, tx, t, now); err != nil {
				return err
			}
		}
		return nil
	})
}

const taskColumns = `id, workspace_id, contact_id, type, ref_id, payload, created_on`

func scanTask(r *sql.Rows) (*store.ContactTask, error) {
	var t store.ContactTask
	var payload string
	var created int64
	err := r.Scan(&t.ID, &t.WorkspaceID, &t.ContactID, &t.Type, &t.RefID, &payload, &created)
	t.Payload, t.CreatedOn = textRaw(payload), fromMS(created)
	return &t, err
}

const sessionColumns = `uuid, workspace_id, contact_id, type, status, state, current_flow, last_sprint_uuid, created_on, modified_on, ended_on`

func scanSession(row interface{ Scan(...any) error }) (*store.Session, error) {
	var ss store.Session
	var created, modified, ended int64
	if err := row.Scan(ud(&ss.UUID), &ss.WorkspaceID, &ss.ContactID, &ss.Type, &ss.Status, &ss.State, ud(&ss.CurrentFlow),
		ud(&ss.LastSprintUUID), &created, &modified, &ended); err != nil {
		return nil, err
	}
	ss.CreatedOn, ss.ModifiedOn, ss.EndedOn = fromMS(created), fromMS(modified), fromMSPtr(ended)
	return &ss, nil
}

// claimWindow is how many of the oldest tasks a claim reads per contact it wants: enough to
// find distinct contacts past a few busy ones without reading the whole queue.
const claimWindow = 4

// ClaimContacts implements store.RuntimeStore. The lease is taken by an UPDATE that checks
// the lease again, so of two nodes picking the same contact only one gets it back.
func (s *Store) ClaimContacts(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]*store.ContactWork, error) {
	var ids []int64
	err := s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx).querier()
		rows, err := tx.QueryContext(ctx, `SELECT t.contact_id FROM contact_tasks t JOIN contacts c ON c.id = t.contact_id
			WHERE c.lease_until < $1 ORDER BY t.id LIMIT $2`, ms(now), limit*claimWindow+16)
		cands, err := collect(rows, err, scanInt64)
		if err != nil {
			return err
		}
		seen := make(map[int64]bool, limit)
		var pick []int64
		for _, id := range cands {
			if !seen[id] && len(pick) < limit {
				seen[id] = true
				pick = append(pick, id)
			}
		}
		if len(pick) == 0 {
			return nil
		}
		// On PostgreSQL a contact another node is leasing right now is skipped, not waited
		// for: that node will hold it.
		in, args := inList([]any{owner, ms(leaseUntil), ms(now)}, pick)
		rows, err = tx.QueryContext(ctx, `UPDATE contacts SET lease_owner = $1, lease_until = $2 WHERE id IN (
			SELECT id FROM contacts WHERE id IN (`+in+`) AND lease_until < $3`+s.Dialect.SkipLocked+`) RETURNING id`, args...)
		won, err := collect(rows, err, scanInt64)
		if err != nil {
			return err
		}
		got := make(map[int64]bool, len(won))
		for _, id := range won {
			got[id] = true
		}
		for _, id := range pick {
			if got[id] {
				ids = append(ids, id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim contacts: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	work, err := s.loadWork(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("claim contacts: %w", err)
	}
	return work, nil
}

// loadWork reads leased contacts with their tasks and waiting sessions, a few queries for
// the lot, in the order of ids.
func (s *Store) loadWork(ctx context.Context, ids []int64) ([]*store.ContactWork, error) {
	contacts, err := loadContactsByID(ctx, s.cdb(), 0, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*store.ContactWork, len(ids))
	var sessions []string
	for _, c := range contacts {
		byID[c.ID] = &store.ContactWork{Contact: c}
		if c.CurrentSessionUUID != "" {
			sessions = append(sessions, c.CurrentSessionUUID)
		}
	}
	for _, chunk := range chunks(ids, chunkSize) {
		in, args := inList(nil, chunk)
		rows, err := s.cdb().QueryContext(ctx, `SELECT `+taskColumns+` FROM contact_tasks WHERE contact_id IN (`+in+`) ORDER BY id`, args...)
		tasks, err := collect(rows, err, scanTask)
		if err != nil {
			return nil, err
		}
		for _, t := range tasks {
			if w := byID[t.ContactID]; w != nil {
				w.Tasks = append(w.Tasks, t)
			}
		}
	}
	for _, chunk := range chunks(sessions, chunkSize) {
		in, args := inList(nil, s.uc().ids(chunk))
		rows, err := s.cdb().QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE uuid IN (`+in+`)`, args...)
		ss, err := collect(rows, err, func(r *sql.Rows) (*store.Session, error) { return scanSession(r) })
		if err != nil {
			return nil, err
		}
		for _, x := range ss {
			if w := byID[x.ContactID]; w != nil && w.Contact.CurrentSessionUUID == x.UUID {
				w.Session = x
			}
		}
	}
	out := make([]*store.ContactWork, 0, len(ids))
	for _, id := range ids {
		if w := byID[id]; w != nil {
			out = append(out, w)
		}
	}
	return out, nil
}

// ReleaseContacts implements store.RuntimeStore.
func (s *Store) ReleaseContacts(ctx context.Context, owner string, contactIDs []int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return releaseLeases(ctx, s.newStmtTx(tx).querier(), owner, contactIDs) })
}

func releaseLeases(ctx context.Context, tx querier, owner string, ids []int64) error {
	for _, chunk := range chunks(ids, chunkSize) {
		in, args := inList([]any{owner}, chunk)
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET lease_owner = '', lease_until = 0
			WHERE id IN (`+in+`) AND lease_owner = $1`, args...); err != nil {
			return fmt.Errorf("release contacts: %w", err)
		}
	}
	return nil
}

// ReleaseAllContactLeases implements store.RuntimeStore.
func (s *Store) ReleaseAllContactLeases(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET lease_owner = '', lease_until = 0 WHERE lease_until <> 0`); err != nil {
			return fmt.Errorf("release all contacts: %w", err)
		}
		return nil
	})
}

// PendingTasks implements store.RuntimeStore.
func (s *Store) PendingTasks(ctx context.Context, workspaceID int64) (int64, error) {
	q, args := `SELECT COUNT(*) FROM contact_tasks`, []any{}
	if workspaceID != 0 {
		q, args = q+` WHERE workspace_id = $1`, append(args, workspaceID)
	}
	var n int64
	if err := s.DB.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("pending tasks: %w", err)
	}
	return n, nil
}

// GetSession implements store.RuntimeStore.
func (s *Store) GetSession(ctx context.Context, uuid string) (*store.Session, error) {
	ss, err := scanSession(s.DB.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE uuid = $1`, s.uc().id(uuid)))
	if err != nil {
		return nil, notFound(err, "get session "+uuid)
	}
	return ss, nil
}
