package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"careflow/store"
)

// sceneBatch is what the scenes of a commit write with multi-row statements: the rows every
// scene has (session, run, reply, fires, done task), a few statements for hundreds of
// scenes instead of several each.
type sceneBatch struct {
	sessions  []*store.Session
	runs      []*store.Run
	msgs      []*store.Msg
	fires     []*store.Fire
	doneTasks []int64
	// progress counts done start and broadcast tasks, applied once per start.
	progress map[progressKey]int
}

type progressKey struct {
	table string
	id    int64
}

func (b *sceneBatch) write(ctx context.Context, tx *stmtTx, now int64) error {
	if err := upsertSessions(ctx, tx, b.sessions, now); err != nil {
		return err
	}
	if err := upsertRuns(ctx, tx, b.runs, now); err != nil {
		return err
	}
	if err := insertMsgs(ctx, tx, b.msgs, now); err != nil {
		return err
	}
	if err := upsertFires(ctx, tx, b.fires); err != nil {
		return err
	}
	if err := deleteTasks(ctx, tx, b.doneTasks); err != nil {
		return err
	}
	// In one order, so two nodes advancing the same starts wait rather than deadlock.
	keys := slices.SortedFunc(maps.Keys(b.progress), func(x, y progressKey) int {
		if x.table != y.table {
			return strings.Compare(x.table, y.table)
		}
		return cmpInt(x.id, y.id)
	})
	for _, k := range keys {
		if err := advance(ctx, tx, k.table, k.id, b.progress[k], now); err != nil {
			return err
		}
	}
	return nil
}

// CommitScenes implements store.RuntimeStore. Every statement is prepared once for the batch,
// and the rows common to all scenes go in multi-row statements (sceneBatch).
func (s *Store) CommitScenes(ctx context.Context, owner string, scenes []*store.Scene, now time.Time) ([]error, error) {
	errs := make([]error, len(scenes))
	if len(scenes) == 0 {
		return errs, nil
	}
	nowMS := ms(now)
	// One bad scene must not hold back the others. A scene that fails on its own rows is
	// dropped and the rest tried again together; a failure no scene can be blamed for (in
	// the multi-row statements, or the commit) has each scene tried alone.
	pending := slices.Clone(scenes)
	at := make([]int, len(scenes))
	for i := range at {
		at[i] = i
	}
	for len(pending) > 0 {
		bad, err := s.commitScenes(ctx, owner, pending, nowMS)
		if err == nil {
			return errs, nil
		}
		if ctx.Err() != nil {
			if len(pending) == len(scenes) {
				return nil, fmt.Errorf("commit scenes: %w", err)
			}
			for _, i := range at {
				errs[i] = err
			}
			return errs, nil
		}
		if bad < 0 {
			for k, sc := range pending {
				_, errs[at[k]] = s.commitScenes(ctx, owner, []*store.Scene{sc}, nowMS)
			}
			return errs, nil
		}
		errs[at[bad]] = err
		pending, at = slices.Delete(pending, bad, bad+1), slices.Delete(at, bad, bad+1)
	}
	return errs, nil
}

// commitScenes writes scenes in one transaction. When it fails on one scene's own rows it
// also returns that scene's index, else -1.
func (s *Store) commitScenes(ctx context.Context, owner string, scenes []*store.Scene, now int64) (int, error) {
	bad := -1
	err := s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		b := &sceneBatch{progress: map[progressKey]int{}}
		var release []int64
		for i, sc := range scenes {
			if err := writeScene(ctx, tx, owner, sc, now, b); err != nil {
				bad = i
				return fmt.Errorf("contact %d: %w", sc.ContactID, err)
			}
			if sc.Contact == nil || sc.Contact.Contact == nil {
				release = append(release, sc.ContactID)
			}
		}
		if err := b.write(ctx, tx, now); err != nil {
			return err
		}
		return releaseLeases(ctx, tx.querier(), owner, release)
	})
	if err == nil {
		bad = -1
	}
	return bad, err
}

// writeScene writes what is particular to one scene in tx and adds the rest to b.
func writeScene(ctx context.Context, tx *stmtTx, owner string, sc *store.Scene, now int64, b *sceneBatch) error {
	ws := func(id int64) int64 {
		if id == 0 {
			return sc.WorkspaceID
		}
		return id
	}
	if cu := sc.Contact; cu != nil && cu.Contact != nil {
		if err := writeSceneContact(ctx, tx, owner, sc.WorkspaceID, cu, now); err != nil {
			return err
		}
	} else if sc.ContactID != 0 {
		// A scene about no contact (ContactID 0) only adds what it lists, such as messages
		// queued from outside a contact's tasks; it needs no lease.
		var one int
		if err := tx.queryRow(ctx, `SELECT 1 FROM contacts WHERE id = $1 AND lease_owner = $2`, sc.ContactID, owner).Scan(&one); err != nil {
			return fmt.Errorf("contact %d is no longer leased to %s: %w", sc.ContactID, owner, store.ErrConflict)
		}
	}
	for _, ss := range sc.Sessions {
		ss.WorkspaceID = ws(ss.WorkspaceID)
		if ss.ContactID == 0 {
			ss.ContactID = sc.ContactID
		}
		b.sessions = append(b.sessions, ss)
	}
	for _, r := range sc.Runs {
		r.WorkspaceID = ws(r.WorkspaceID)
		if r.ContactID == 0 {
			r.ContactID = sc.ContactID
		}
		b.runs = append(b.runs, r)
	}
	for _, m := range sc.MsgsOut {
		m.WorkspaceID = ws(m.WorkspaceID)
		if m.ContactID == 0 {
			m.ContactID = sc.ContactID
		}
		b.msgs = append(b.msgs, m)
	}
	for _, m := range sc.MsgsHandled {
		status, vis := m.Status, m.Visibility
		if status == "" {
			status = store.MsgHandled
		}
		if vis == "" {
			vis = "visible"
		}
		if _, err := tx.exec(ctx, `UPDATE msgs SET status = $1, flow_uuid = $2, visibility = $3, modified_on = $4 WHERE id = $5`,
			status, tx.uc.id(m.FlowUUID), vis, now, m.ID); err != nil {
			return fmt.Errorf("handle msg %d: %w", m.ID, err)
		}
	}
	if err := clearFires(ctx, tx, sc); err != nil {
		return err
	}
	for _, ev := range sc.CampaignFireClears {
		prefix := fmt.Sprintf("%d:", ev)
		if _, err := tx.exec(ctx, `DELETE FROM contact_fires WHERE contact_id = $1 AND type = 'C' AND substr(scope, 1, $2) = $3`,
			sc.ContactID, len(prefix), prefix); err != nil {
			return fmt.Errorf("clear campaign fires: %w", err)
		}
	}
	for _, f := range sc.Fires {
		f.WorkspaceID = ws(f.WorkspaceID)
		if f.ContactID == 0 {
			f.ContactID = sc.ContactID
		}
		b.fires = append(b.fires, f)
	}
	for _, t := range sc.Tasks {
		t.WorkspaceID = ws(t.WorkspaceID)
		if err := insertTask(ctx, tx, t, now); err != nil {
			return err
		}
	}
	for _, st := range sc.Starts {
		st.WorkspaceID = ws(st.WorkspaceID)
		if err := insertStart(ctx, tx, st, now); err != nil {
			return err
		}
	}
	for _, b := range sc.Broadcasts {
		b.WorkspaceID = ws(b.WorkspaceID)
		if err := insertBroadcast(ctx, tx, b, now); err != nil {
			return err
		}
	}
	for _, l := range sc.HTTPLogs {
		l.WorkspaceID = ws(l.WorkspaceID)
		if err := insertHTTPLog(ctx, tx, l, now); err != nil {
			return err
		}
	}
	for _, e := range sc.ResthookEvents {
		e.WorkspaceID = ws(e.WorkspaceID)
		if err := insertResthookEvent(ctx, tx, e, now); err != nil {
			return err
		}
	}
	for _, u := range sc.ResthookUnsubscribes {
		if err := unsubscribeResthook(ctx, tx, sc.WorkspaceID, u, now); err != nil {
			return err
		}
	}
	for _, t := range sc.DoneTasks {
		b.doneTasks = append(b.doneTasks, t.ID)
		switch t.Type {
		case store.TaskStart:
			b.progress[progressKey{"flow_starts", t.RefID}]++
		case store.TaskBroadcast:
			b.progress[progressKey{"broadcasts", t.RefID}]++
		}
	}
	return nil
}

// clearFires deletes the session fires the scene clears, except those of a type its Fires
// set again: those are replaced in place by the upsert, which spares their row and index
// entries a delete and an insert (a sprint ending in a wait replaces E and S every time).
func clearFires(ctx context.Context, tx *stmtTx, sc *store.Scene) error {
	var clear []string
	switch {
	case sc.ClearSessionFires:
		clear = []string{store.FireTimeout, store.FireExpire, store.FireSessionExpire}
	case sc.ClearWaitFires:
		clear = []string{store.FireTimeout, store.FireExpire}
	default:
		return nil
	}
	clear = slices.DeleteFunc(clear, func(typ string) bool {
		return slices.ContainsFunc(sc.Fires, func(f *store.Fire) bool {
			return f.Type == typ && f.Scope == "" && (f.ContactID == 0 || f.ContactID == sc.ContactID)
		})
	})
	if len(clear) == 0 {
		return nil
	}
	in, args := inList([]any{sc.ContactID}, clear)
	if _, err := tx.exec(ctx, `DELETE FROM contact_fires WHERE contact_id = $1 AND type IN (`+in+`)`, args...); err != nil {
		return fmt.Errorf("clear fires: %w", err)
	}
	return nil
}

// writeSceneContact writes the contact row, releasing owner's lease in the same statement,
// then its URNs and group changes.
func writeSceneContact(ctx context.Context, tx *stmtTx, owner string, workspaceID int64, cu *store.ContactUpdate, now int64) error {
	c := cu.Contact
	if c.WorkspaceID == 0 {
		c.WorkspaceID = workspaceID
	}
	mod := ms(c.ModifiedOn)
	if mod == 0 {
		mod = now
	}
	res, err := tx.exec(ctx, `UPDATE contacts SET name = $1, language = $2, status = $3, timezone = $4, modified_on = $5,
		last_seen_on = $6, fields = $7, current_session_uuid = $8, current_flow_uuid = $9,
		lease_until = 0, lease_owner = ''
		WHERE id = $11 AND lease_owner = $10`, c.Name, c.Language, c.Status, c.Timezone, mod, msPtr(c.LastSeenOn), rawText(c.Fields),
		tx.uc.id(c.CurrentSessionUUID), tx.uc.id(c.CurrentFlowUUID), owner, c.ID)
	if err != nil {
		return fmt.Errorf("write contact: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// The lease ran out and another worker may have the contact: writing now could undo
		// what it did, so the scene fails and its tasks are handled again.
		return fmt.Errorf("contact %d is no longer leased to %s: %w", c.ID, owner, store.ErrConflict)
	}
	if cu.URNsChanged {
		if err := writeURNs(ctx, tx, c.WorkspaceID, c.ID, c.URNs); err != nil {
			return err
		}
	}
	for _, g := range cu.GroupsAdded {
		if _, err := tx.exec(ctx, `INSERT INTO group_members (contact_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, c.ID, g); err != nil {
			return fmt.Errorf("add group %d: %w", g, err)
		}
	}
	for _, g := range cu.GroupsRemoved {
		if _, err := tx.exec(ctx, `DELETE FROM group_members WHERE contact_id = $1 AND group_id = $2`, c.ID, g); err != nil {
			return fmt.Errorf("remove group %d: %w", g, err)
		}
	}
	return nil
}
