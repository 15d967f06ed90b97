package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"careflow/store"
)

// progress counts done start and broadcast tasks of a commit, applied once per start.
type progress map[[2]any]int

// CommitScenes implements store.RuntimeStore. Every statement is prepared once for the batch;
// a scene is about ten executions of them.
func (s *Store) CommitScenes(ctx context.Context, owner string, scenes []*store.Scene, now time.Time) ([]error, error) {
	errs := make([]error, len(scenes))
	if len(scenes) == 0 {
		return errs, nil
	}
	nowMS := ms(now)
	err := s.commitScenes(ctx, owner, scenes, nowMS)
	if err == nil {
		return errs, nil
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("commit scenes: %w", err)
	}
	// One bad scene must not hold back the others: try each on its own.
	for i, sc := range scenes {
		errs[i] = s.commitScenes(ctx, owner, []*store.Scene{sc}, nowMS)
	}
	return errs, nil
}

func (s *Store) commitScenes(ctx context.Context, owner string, scenes []*store.Scene, now int64) error {
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := newStmtTx(sqlTx)
		defer tx.close()
		prog := progress{}
		var release []int64
		for _, sc := range scenes {
			if err := writeScene(ctx, tx, owner, sc, now, prog); err != nil {
				return fmt.Errorf("contact %d: %w", sc.ContactID, err)
			}
			if sc.Contact == nil || sc.Contact.Contact == nil {
				release = append(release, sc.ContactID)
			}
		}
		for k, n := range prog {
			if err := advance(ctx, tx, k[0].(string), k[1].(int64), n, now); err != nil {
				return err
			}
		}
		return releaseLeases(ctx, tx, owner, release)
	})
}

// writeScene writes one scene in tx, counting its done tasks in prog.
func writeScene(ctx context.Context, tx *stmtTx, owner string, sc *store.Scene, now int64, prog progress) error {
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
	}
	for _, ss := range sc.Sessions {
		ss.WorkspaceID = ws(ss.WorkspaceID)
		if ss.ContactID == 0 {
			ss.ContactID = sc.ContactID
		}
		if err := upsertSession(ctx, tx, ss, now); err != nil {
			return err
		}
	}
	for _, r := range sc.Runs {
		r.WorkspaceID = ws(r.WorkspaceID)
		if r.ContactID == 0 {
			r.ContactID = sc.ContactID
		}
		if err := upsertRun(ctx, tx, r, now); err != nil {
			return err
		}
	}
	for _, m := range sc.MsgsOut {
		m.WorkspaceID = ws(m.WorkspaceID)
		if m.ContactID == 0 {
			m.ContactID = sc.ContactID
		}
		if err := insertMsg(ctx, tx, m, now); err != nil {
			return err
		}
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
			status, m.FlowUUID, vis, now, m.ID); err != nil {
			return fmt.Errorf("handle msg %d: %w", m.ID, err)
		}
	}
	if sc.ClearSessionFires || sc.ClearWaitFires {
		q := `DELETE FROM contact_fires WHERE contact_id = $1 AND type IN ('T', 'E')`
		if sc.ClearSessionFires {
			q = `DELETE FROM contact_fires WHERE contact_id = $1 AND type IN ('T', 'E', 'S')`
		}
		if _, err := tx.exec(ctx, q, sc.ContactID); err != nil {
			return fmt.Errorf("clear fires: %w", err)
		}
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
		if err := upsertFire(ctx, tx, f); err != nil {
			return err
		}
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
	for _, t := range sc.DoneTasks {
		if _, err := tx.exec(ctx, `DELETE FROM contact_tasks WHERE id = $1`, t.ID); err != nil {
			return fmt.Errorf("delete task %d: %w", t.ID, err)
		}
		switch t.Type {
		case store.TaskStart:
			prog[[2]any{"flow_starts", t.RefID}]++
		case store.TaskBroadcast:
			prog[[2]any{"broadcasts", t.RefID}]++
		}
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
		lease_until = CASE WHEN lease_owner = $10 THEN 0 ELSE lease_until END,
		lease_owner = CASE WHEN lease_owner = $10 THEN '' ELSE lease_owner END
		WHERE id = $11`, c.Name, c.Language, c.Status, c.Timezone, mod, msPtr(c.LastSeenOn), rawText(c.Fields),
		c.CurrentSessionUUID, c.CurrentFlowUUID, owner, c.ID)
	if err := affected(res, err, "write contact"); err != nil {
		return err
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
