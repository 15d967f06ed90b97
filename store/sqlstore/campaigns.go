package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"careflow/store"
)

const campaignCols = `id, workspace_id, uuid, name, group_id, archived, created_on, modified_on`

func scanCampaign(r interface{ Scan(...any) error }) (*store.Campaign, error) {
	var c store.Campaign
	var created, modified int64
	err := r.Scan(&c.ID, &c.WorkspaceID, &c.UUID, &c.Name, &c.GroupID, &c.Archived, &created, &modified)
	c.CreatedOn, c.ModifiedOn = fromMS(created), fromMS(modified)
	return &c, err
}

// SaveCampaign implements store.CampaignStore.
func (s *Store) SaveCampaign(ctx context.Context, c *store.Campaign) error {
	now := s.prepareCampaign(c)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := saveCampaign(ctx, tx, c, now); err != nil {
			return err
		}
		return bumpAssets(ctx, tx, c.WorkspaceID)
	})
}

// prepareCampaign fills what a save sets outside its transaction and returns the time of it.
func (s *Store) prepareCampaign(c *store.Campaign) int64 {
	if c.UUID == "" {
		c.UUID = newUUID()
	}
	now := s.nowMS()
	if c.CreatedOn.IsZero() {
		c.CreatedOn = fromMS(now)
	}
	c.ModifiedOn = fromMS(now)
	return now
}

func saveCampaign(ctx context.Context, tx querier, c *store.Campaign, now int64) error {
	if c.ID == 0 {
		err := tx.QueryRowContext(ctx, `INSERT INTO campaigns (workspace_id, uuid, name, group_id, archived, created_on, modified_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			c.WorkspaceID, c.UUID, c.Name, c.GroupID, c.Archived, ms(c.CreatedOn), now).Scan(&c.ID)
		if isUnique(err) {
			return errConflict
		}
		if err != nil {
			return fmt.Errorf("create campaign: %w", err)
		}
		return nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE campaigns SET name = $1, group_id = $2, archived = $3, modified_on = $4
		WHERE id = $5 AND workspace_id = $6`, c.Name, c.GroupID, c.Archived, now, c.ID, c.WorkspaceID)
	return affected(res, err, "update campaign")
}

// GetCampaign implements store.CampaignStore.
func (s *Store) GetCampaign(ctx context.Context, workspaceID int64, uuid string) (*store.Campaign, error) {
	c, err := scanCampaign(s.DB.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM campaigns WHERE workspace_id = $1 AND uuid = $2`, workspaceID, uuid))
	if err != nil {
		return nil, notFound(err, "campaign "+uuid)
	}
	return c, nil
}

// ListCampaigns implements store.CampaignStore.
func (s *Store) ListCampaigns(ctx context.Context, workspaceID int64) ([]*store.Campaign, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+campaignCols+` FROM campaigns WHERE workspace_id = $1 ORDER BY id`, workspaceID)
	cs, err := collect(rows, err, func(r *sql.Rows) (*store.Campaign, error) { return scanCampaign(r) })
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	return cs, nil
}

// DeleteCampaign implements store.CampaignStore.
func (s *Store) DeleteCampaign(ctx context.Context, workspaceID int64, uuid string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM campaigns WHERE workspace_id = $1 AND uuid = $2`, workspaceID, uuid).Scan(&id)
		if err != nil {
			return notFound(err, "campaign "+uuid)
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM campaign_events WHERE campaign_id = $1`, id)
		events, err := collect(rows, err, scanInt64)
		if err != nil {
			return fmt.Errorf("campaign events: %w", err)
		}
		for _, ev := range events {
			if err := deleteEventFires(ctx, tx, workspaceID, ev); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_events WHERE campaign_id = $1`, id); err != nil {
			return fmt.Errorf("delete campaign events: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM campaigns WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete campaign: %w", err)
		}
		return bumpAssets(ctx, tx, workspaceID)
	})
}

const eventCols = `id, workspace_id, campaign_id, uuid, event_type, relative_to, "offset", unit, delivery_hour, start_mode,
	flow_uuid, translations, base_language, fire_version, status, created_on, modified_on`

func scanEvent(r interface{ Scan(...any) error }) (*store.CampaignEvent, error) {
	var e store.CampaignEvent
	var trs string
	var created, modified int64
	err := r.Scan(&e.ID, &e.WorkspaceID, &e.CampaignID, &e.UUID, &e.EventType, &e.RelativeTo, &e.Offset, &e.Unit,
		&e.DeliveryHour, &e.StartMode, &e.FlowUUID, &trs, &e.BaseLanguage, &e.FireVersion, &e.Status, &created, &modified)
	e.Translations = textRaw(trs)
	e.CreatedOn, e.ModifiedOn = fromMS(created), fromMS(modified)
	return &e, err
}

// SaveCampaignEvent implements store.CampaignStore.
func (s *Store) SaveCampaignEvent(ctx context.Context, e *store.CampaignEvent) error {
	now := s.prepareEvent(e)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := saveEvent(ctx, tx, e, now); err != nil {
			return err
		}
		return bumpAssets(ctx, tx, e.WorkspaceID)
	})
}

// prepareEvent fills what a save sets outside its transaction and returns the time of it.
func (s *Store) prepareEvent(e *store.CampaignEvent) int64 {
	if e.UUID == "" {
		e.UUID = newUUID()
	}
	if e.Status == "" {
		e.Status = store.CampaignEventReady
	}
	if e.FireVersion == 0 {
		e.FireVersion = 1
	}
	now := s.nowMS()
	if e.CreatedOn.IsZero() {
		e.CreatedOn = fromMS(now)
	}
	e.ModifiedOn = fromMS(now)
	return now
}

func saveEvent(ctx context.Context, tx querier, e *store.CampaignEvent, now int64) error {
	if e.ID == 0 {
		err := tx.QueryRowContext(ctx, `INSERT INTO campaign_events (workspace_id, campaign_id, uuid, event_type, relative_to,
			"offset", unit, delivery_hour, start_mode, flow_uuid, translations, base_language, fire_version, status, created_on, modified_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
			e.WorkspaceID, e.CampaignID, e.UUID, e.EventType, e.RelativeTo, e.Offset, e.Unit, e.DeliveryHour, e.StartMode,
			e.FlowUUID, rawText(e.Translations), e.BaseLanguage, e.FireVersion, e.Status, ms(e.CreatedOn), now).Scan(&e.ID)
		if isUnique(err) {
			return errConflict
		}
		if err != nil {
			return fmt.Errorf("create campaign event: %w", err)
		}
		return nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE campaign_events SET event_type = $1, relative_to = $2, "offset" = $3, unit = $4,
		delivery_hour = $5, start_mode = $6, flow_uuid = $7, translations = $8, base_language = $9, fire_version = $10,
		status = $11, modified_on = $12 WHERE id = $13 AND workspace_id = $14`,
		e.EventType, e.RelativeTo, e.Offset, e.Unit, e.DeliveryHour, e.StartMode, e.FlowUUID, rawText(e.Translations),
		e.BaseLanguage, e.FireVersion, e.Status, now, e.ID, e.WorkspaceID)
	return affected(res, err, "update campaign event")
}

// SaveCampaignSchedule implements store.CampaignStore.
func (s *Store) SaveCampaignSchedule(ctx context.Context, c *store.Campaign, events []*store.ScheduledEvent) error {
	var campNow int64
	if c != nil {
		campNow = s.prepareCampaign(c)
	}
	nows := make([]int64, len(events))
	for i, se := range events {
		se.Event.Status = store.CampaignEventReady
		nows[i] = s.prepareEvent(se.Event)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		wsID := int64(0)
		if c != nil {
			if err := saveCampaign(ctx, tx, c, campNow); err != nil {
				return err
			}
			wsID = c.WorkspaceID
		}
		for i, se := range events {
			e := se.Event
			if err := saveEvent(ctx, tx, e, nows[i]); err != nil {
				return err
			}
			scope := e.Scope()
			for _, f := range se.Fires {
				f.WorkspaceID, f.Type, f.Scope = e.WorkspaceID, store.FireCampaign, scope
			}
			if err := replaceEventFires(ctx, tx, e.WorkspaceID, e.ID, true, se.Fires); err != nil {
				return err
			}
			wsID = e.WorkspaceID
		}
		if wsID == 0 {
			return nil
		}
		return bumpAssets(ctx, tx, wsID)
	})
}

// GetCampaignEvent implements store.CampaignStore.
func (s *Store) GetCampaignEvent(ctx context.Context, workspaceID int64, uuid string) (*store.CampaignEvent, error) {
	e, err := scanEvent(s.DB.QueryRowContext(ctx, `SELECT `+eventCols+` FROM campaign_events WHERE workspace_id = $1 AND uuid = $2`, workspaceID, uuid))
	if err != nil {
		return nil, notFound(err, "campaign event "+uuid)
	}
	return e, nil
}

// GetCampaignEventByID implements store.CampaignStore.
func (s *Store) GetCampaignEventByID(ctx context.Context, id int64) (*store.CampaignEvent, error) {
	e, err := scanEvent(s.DB.QueryRowContext(ctx, `SELECT `+eventCols+` FROM campaign_events WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("campaign event %d", id))
	}
	return e, nil
}

// ListCampaignEvents implements store.CampaignStore.
func (s *Store) ListCampaignEvents(ctx context.Context, workspaceID, campaignID int64) ([]*store.CampaignEvent, error) {
	q, args := `SELECT `+eventCols+` FROM campaign_events WHERE workspace_id = $1`, []any{workspaceID}
	if campaignID != 0 {
		q += ` AND campaign_id = $2`
		args = append(args, campaignID)
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY id`, args...)
	es, err := collect(rows, err, func(r *sql.Rows) (*store.CampaignEvent, error) { return scanEvent(r) })
	if err != nil {
		return nil, fmt.Errorf("list campaign events: %w", err)
	}
	return es, nil
}

// DeleteCampaignEvent implements store.CampaignStore.
func (s *Store) DeleteCampaignEvent(ctx context.Context, workspaceID int64, uuid string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM campaign_events WHERE workspace_id = $1 AND uuid = $2`, workspaceID, uuid).Scan(&id)
		if err != nil {
			return notFound(err, "campaign event "+uuid)
		}
		if err := deleteEventFires(ctx, tx, workspaceID, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_events WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete campaign event: %w", err)
		}
		return bumpAssets(ctx, tx, workspaceID)
	})
}

// deleteEventFires removes every version's fires of an event.
func deleteEventFires(ctx context.Context, tx querier, workspaceID, eventID int64) error {
	prefix := fmt.Sprintf("%d:", eventID)
	_, err := tx.ExecContext(ctx, `DELETE FROM contact_fires WHERE workspace_id = $1 AND type = $2 AND substr(scope, 1, $3) = $4`,
		workspaceID, store.FireCampaign, len(prefix), prefix)
	if err != nil {
		return fmt.Errorf("delete fires of campaign event %d: %w", eventID, err)
	}
	return nil
}

// CampaignEventContacts implements store.CampaignStore.
func (s *Store) CampaignEventContacts(ctx context.Context, groupID, afterID int64, limit int) ([]*store.CampaignEventContact, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT c.id, c.created_on, c.last_seen_on, c.fields FROM group_members m
		JOIN contacts c ON c.id = m.contact_id WHERE m.group_id = $1 AND m.contact_id > $2 AND c.status = 'active'
		ORDER BY m.contact_id LIMIT $3`, groupID, afterID, limit)
	cs, err := collect(rows, err, func(r *sql.Rows) (*store.CampaignEventContact, error) {
		var c store.CampaignEventContact
		var created, seen int64
		var fields string
		err := r.Scan(&c.ContactID, &created, &seen, &fields)
		c.CreatedOn, c.LastSeenOn, c.Fields = fromMS(created), fromMSPtr(seen), textRaw(fields)
		return &c, err
	})
	if err != nil {
		return nil, fmt.Errorf("campaign group %d members: %w", groupID, err)
	}
	return cs, nil
}

// fireInsertRows is how many fires one INSERT carries (3 parameters each, well under both
// backends' parameter limits).
const fireInsertRows = 500

// ReplaceCampaignFires implements store.CampaignStore. Fires go in multi-row INSERTs: an
// event of a big group schedules a hundred thousand of them at once.
func (s *Store) ReplaceCampaignFires(ctx context.Context, workspaceID, eventID int64, clear bool, fires []*store.Fire) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return replaceEventFires(ctx, tx, workspaceID, eventID, clear, fires) })
}

// replaceEventFires is ReplaceCampaignFires in a transaction of the caller's.
func replaceEventFires(ctx context.Context, tx *sql.Tx, workspaceID, eventID int64, clear bool, fires []*store.Fire) error {
	if clear {
		if err := deleteEventFires(ctx, tx, workspaceID, eventID); err != nil {
			return err
		}
	}
	// Every full chunk shares one prepared statement: compiling a statement of thousands
	// of parameters per chunk would cost more than the inserts.
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for _, chunk := range chunks(fires, fireInsertRows) {
		args := make([]any, 0, 2+len(chunk)*3)
		args = append(args, workspaceID, store.FireCampaign)
		for _, f := range chunk {
			args = append(args, f.ContactID, f.Scope, ms(f.FireOn))
		}
		var err error
		if len(chunk) == fireInsertRows {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, fireInsertSQL(fireInsertRows)); err != nil {
					return fmt.Errorf("prepare campaign fires: %w", err)
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, fireInsertSQL(len(chunk)), args...)
		}
		if err != nil {
			return fmt.Errorf("insert campaign fires: %w", err)
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE campaign_events SET status = $1 WHERE id = $2`, store.CampaignEventReady, eventID)
	if err != nil {
		return fmt.Errorf("campaign event %d ready: %w", eventID, err)
	}
	return nil
}

// fireInsertSQL is an INSERT of n campaign fires that keeps fires already stored; the
// workspace and type are shared parameters ($1, $2).
func fireInsertSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO contact_fires (workspace_id, contact_id, type, scope, session_uuid, sprint_uuid, fire_on) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		k := 2 + i*3
		fmt.Fprintf(&b, "($1, $%d, $2, $%d, '', '', $%d)", k+1, k+2, k+3)
	}
	b.WriteString(` ON CONFLICT (contact_id, type, scope) DO NOTHING`)
	return b.String()
}

// maxFireScopes bounds the scopes one fires query names (a campaign's events).
const maxFireScopes = 200

// ListCampaignFires implements store.CampaignStore. type = 'C' is written literally so both
// backends use the partial index on campaign fires.
func (s *Store) ListCampaignFires(ctx context.Context, workspaceID int64, q store.CampaignFireQuery) ([]*store.CampaignFire, error) {
	if len(q.Scopes) == 0 {
		return nil, nil
	}
	if len(q.Scopes) > maxFireScopes {
		return nil, fmt.Errorf("list campaign fires: more than %d scopes", maxFireScopes)
	}
	in, args := inList([]any{workspaceID}, q.Scopes)
	var sb strings.Builder
	sb.WriteString(`SELECT f.id, f.scope, f.contact_id, c.uuid, c.name, f.fire_on FROM contact_fires f
		JOIN contacts c ON c.id = f.contact_id
		WHERE f.workspace_id = $1 AND f.type = 'C' AND f.scope IN (` + in + `)`)
	if q.AfterID != 0 {
		args = append(args, ms(q.AfterOn), q.AfterID)
		n := len(args)
		fmt.Fprintf(&sb, ` AND (f.fire_on > $%d OR (f.fire_on = $%d AND f.id > $%d))`, n-1, n-1, n)
	}
	limit := q.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	args = append(args, limit)
	fmt.Fprintf(&sb, ` ORDER BY f.fire_on, f.id LIMIT $%d`, len(args))
	rows, err := s.DB.QueryContext(ctx, sb.String(), args...)
	list, err := collect(rows, err, func(r *sql.Rows) (*store.CampaignFire, error) {
		var f store.CampaignFire
		var on int64
		err := r.Scan(&f.ID, &f.Scope, &f.ContactID, ud(&f.ContactUUID), &f.ContactName, &on)
		f.FireOn = fromMS(on)
		return &f, err
	})
	if err != nil {
		return nil, fmt.Errorf("list campaign fires: %w", err)
	}
	return list, nil
}

// CountCampaignFires implements store.CampaignStore.
func (s *Store) CountCampaignFires(ctx context.Context, workspaceID int64, scopes []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(scopes) == 0 {
		return out, nil
	}
	if len(scopes) > maxFireScopes {
		return nil, fmt.Errorf("count campaign fires: more than %d scopes", maxFireScopes)
	}
	in, args := inList([]any{workspaceID}, scopes)
	rows, err := s.DB.QueryContext(ctx, `SELECT scope, COUNT(*) FROM contact_fires
		WHERE workspace_id = $1 AND type = 'C' AND scope IN (`+in+`) GROUP BY scope`, args...)
	if err != nil {
		return nil, fmt.Errorf("count campaign fires: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var scope string
		var n int64
		if err := rows.Scan(&scope, &n); err != nil {
			return nil, fmt.Errorf("count campaign fires: %w", err)
		}
		out[scope] = n
	}
	return out, rows.Err()
}
