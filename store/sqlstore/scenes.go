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
	contacts  []contactRow
	handled   []*store.Msg
	clears    []fireClear
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

// write writes the batch. When a scene's contact is no longer leased to owner it returns that
// scene's index with the error, else -1.
func (b *sceneBatch) write(ctx context.Context, tx *stmtTx, owner string, now int64) (int, error) {
	if bad, err := updateContacts(ctx, tx, owner, b.contacts, now); err != nil {
		return bad, err
	}
	if err := b.writeRest(ctx, tx, now); err != nil {
		return -1, err
	}
	return -1, nil
}

func (b *sceneBatch) writeRest(ctx context.Context, tx *stmtTx, now int64) error {
	if err := markHandled(ctx, tx, b.handled, now); err != nil {
		return err
	}
	if err := deleteFireTypes(ctx, tx, b.clears); err != nil {
		return err
	}
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
			if err := writeScene(ctx, tx, owner, i, sc, now, b); err != nil {
				bad = i
				return fmt.Errorf("contact %d: %w", sc.ContactID, err)
			}
			if sc.Contact == nil || sc.Contact.Contact == nil {
				release = append(release, sc.ContactID)
			}
		}
		if i, err := b.write(ctx, tx, owner, now); err != nil {
			bad = i
			return err
		}
		return releaseLeases(ctx, tx.querier(), owner, release)
	})
	if err == nil {
		bad = -1
	}
	return bad, err
}

// writeScene writes what is particular to one scene in tx and adds the rest to b; i is the
// scene's index in the commit.
func writeScene(ctx context.Context, tx *stmtTx, owner string, i int, sc *store.Scene, now int64, b *sceneBatch) error {
	ws := func(id int64) int64 {
		if id == 0 {
			return sc.WorkspaceID
		}
		return id
	}
	if cu := sc.Contact; cu != nil && cu.Contact != nil {
		if err := writeSceneContact(ctx, tx, sc.WorkspaceID, cu); err != nil {
			return err
		}
		b.contacts = append(b.contacts, contactRow{c: cu.Contact, scene: i})
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
	b.handled = append(b.handled, sc.MsgsHandled...)
	b.clears = appendFireClears(b.clears, sc)
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

// appendFireClears adds the session fires the scene clears, except those of a type its Fires
// set again: those are replaced in place by the upsert, which spares their row and index
// entries a delete and an insert (a sprint ending in a wait replaces E and S every time).
func appendFireClears(clears []fireClear, sc *store.Scene) []fireClear {
	var types []string
	switch {
	case sc.ClearSessionFires:
		types = []string{store.FireTimeout, store.FireExpire, store.FireSessionExpire}
	case sc.ClearWaitFires:
		types = []string{store.FireTimeout, store.FireExpire}
	}
	for _, typ := range types {
		if !slices.ContainsFunc(sc.Fires, func(f *store.Fire) bool {
			return f.Type == typ && f.Scope == "" && (f.ContactID == 0 || f.ContactID == sc.ContactID)
		}) {
			clears = append(clears, fireClear{sc.ContactID, typ})
		}
	}
	return clears
}

// writeSceneContact fills the contact's workspace and writes its URNs and group changes; its
// row is written with the batch's (updateContacts), which also releases the lease.
func writeSceneContact(ctx context.Context, tx *stmtTx, workspaceID int64, cu *store.ContactUpdate) error {
	c := cu.Contact
	if c.WorkspaceID == 0 {
		c.WorkspaceID = workspaceID
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
