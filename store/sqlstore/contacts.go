package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"careflow/store"
)

const contactColumns = `id, workspace_id, uuid, name, language, status, timezone, created_on, modified_on, last_seen_on,
	fields, current_session_uuid, current_flow_uuid`

func scanContact(r *sql.Rows) (*store.Contact, error) {
	var c store.Contact
	var created, modified, seen int64
	var fields string
	err := r.Scan(&c.ID, &c.WorkspaceID, ud(&c.UUID), &c.Name, &c.Language, &c.Status, &c.Timezone, &created, &modified, &seen,
		&fields, ud(&c.CurrentSessionUUID), ud(&c.CurrentFlowUUID))
	c.CreatedOn, c.ModifiedOn, c.LastSeenOn, c.Fields = fromMS(created), fromMS(modified), fromMSPtr(seen), textRaw(fields)
	return &c, err
}

// loadContacts runs a SELECT of contactColumns ending in where and attaches each contact's
// URNs and groups with one query each for the lot.
func loadContacts(ctx context.Context, q querier, where string, args ...any) ([]*store.Contact, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+contactColumns+` FROM contacts `+where, args...)
	cs, err := collect(rows, err, scanContact)
	if err != nil || len(cs) == 0 {
		return cs, err
	}
	byID := make(map[int64]*store.Contact, len(cs))
	ids := make([]int64, len(cs))
	for i, c := range cs {
		byID[c.ID], ids[i] = c, c.ID
	}
	for _, chunk := range chunks(ids, chunkSize) {
		in, args := inList(nil, chunk)
		rows, err := q.QueryContext(ctx, `SELECT contact_id, identity, display, channel_uuid FROM contact_urns
			WHERE contact_id IN (`+in+`) ORDER BY contact_id, priority`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var u store.ContactURN
			if err := rows.Scan(&id, &u.Identity, &u.Display, ud(&u.ChannelUUID)); err != nil {
				rows.Close()
				return nil, err
			}
			byID[id].URNs = append(byID[id].URNs, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		rows, err = q.QueryContext(ctx, `SELECT contact_id, group_id FROM group_members WHERE contact_id IN (`+in+`)
			ORDER BY contact_id, group_id`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, g int64
			if err := rows.Scan(&id, &g); err != nil {
				rows.Close()
				return nil, err
			}
			byID[id].Groups = append(byID[id].Groups, g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return cs, nil
}

// loadContactsByID loads contacts of a workspace (0: any) by ID, in ID order.
func loadContactsByID(ctx context.Context, q querier, workspaceID int64, ids []int64) ([]*store.Contact, error) {
	var out []*store.Contact
	for _, chunk := range chunks(ids, chunkSize) {
		in, args := inList(nil, chunk)
		where := `WHERE id IN (` + in + `)`
		if workspaceID != 0 {
			args = append(args, workspaceID)
			where += fmt.Sprintf(` AND workspace_id = $%d`, len(args))
		}
		cs, err := loadContacts(ctx, q, where+` ORDER BY id`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	if len(ids) > chunkSize {
		slices.SortFunc(out, func(a, b *store.Contact) int { return cmpInt(a.ID, b.ID) })
	}
	return out, nil
}

// createContactForURN creates a contact for u.Identity, which had none when looked up. Two
// nodes creating the same URN at once both insert a contact, one URN insert loses on the
// unique key, and the loser drops its contact and reads the winner's.
func createContactForURN(ctx context.Context, tx *stmtTx, workspaceID int64, u store.NewContactURN, now int64) (int64, bool, error) {
	var id int64
	if err := tx.queryRow(ctx, `INSERT INTO contacts (workspace_id, uuid, name, language, created_on, modified_on)
		VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, workspaceID, tx.uc.id(newUUID()), u.Name, u.Language, now).Scan(&id); err != nil {
		return 0, false, fmt.Errorf("create contact for %s: %w", u.Identity, err)
	}
	var owner int64
	err := tx.queryRow(ctx, `INSERT INTO contact_urns (workspace_id, identity, contact_id, priority, display, channel_uuid)
		VALUES ($1, $2, $3, 0, $4, $5) ON CONFLICT (workspace_id, identity) DO NOTHING RETURNING contact_id`,
		workspaceID, u.Identity, id, u.Display, tx.uc.id(u.ChannelUUID)).Scan(&owner)
	if err == nil {
		return id, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, fmt.Errorf("create urn %s: %w", u.Identity, err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM contacts WHERE id = $1`, id); err != nil {
		return 0, false, fmt.Errorf("drop duplicate contact: %w", err)
	}
	if err := tx.queryRow(ctx, `SELECT contact_id FROM contact_urns WHERE workspace_id = $1 AND identity = $2`,
		workspaceID, u.Identity).Scan(&id); err != nil {
		return 0, false, fmt.Errorf("find urn %s: %w", u.Identity, err)
	}
	return id, false, nil
}

// GetOrCreateContacts implements store.ContactStore.
func (s *Store) GetOrCreateContacts(ctx context.Context, workspaceID int64, urns []store.NewContactURN, now time.Time) ([]int64, []bool, error) {
	var ids []int64
	var created []bool
	err := s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		wss := make([]int64, len(urns))
		for i := range wss {
			wss[i] = workspaceID
		}
		var err error
		ids, created, err = resolveContacts(ctx, tx, wss, urns, ms(now))
		return err
	})
	return ids, created, err
}

// resolveContacts gets or creates the contact of each URN (of workspace wss[i]). It visits
// the URNs in one global order so that two PostgreSQL transactions creating overlapping
// URNs wait on each other instead of deadlocking; a URN asked for twice is created once.
func resolveContacts(ctx context.Context, tx *stmtTx, wss []int64, urns []store.NewContactURN, now int64) ([]int64, []bool, error) {
	order := make([]int, len(urns))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmpInt(wss[a], wss[b]); c != 0 {
			return c
		}
		return strings.Compare(urns[a].Identity, urns[b].Identity)
	})
	known, err := findURNs(ctx, tx, wss, urns)
	if err != nil {
		return nil, nil, err
	}
	ids, created := make([]int64, len(urns)), make([]bool, len(urns))
	for k, i := range order {
		if k > 0 {
			if p := order[k-1]; wss[p] == wss[i] && urns[p].Identity == urns[i].Identity {
				ids[i] = ids[p]
				continue
			}
		}
		if id, ok := known[urnKey{wss[i], urns[i].Identity}]; ok {
			ids[i] = id
			continue
		}
		if ids[i], created[i], err = createContactForURN(ctx, tx, wss[i], urns[i], now); err != nil {
			return nil, nil, err
		}
	}
	return ids, created, nil
}

type urnKey struct {
	workspaceID int64
	identity    string
}

// findURNs looks up the owners of URNs that exist, many per query.
func findURNs(ctx context.Context, tx *stmtTx, wss []int64, urns []store.NewContactURN) (map[urnKey]int64, error) {
	byWS := map[int64][]string{}
	for i, u := range urns {
		byWS[wss[i]] = append(byWS[wss[i]], u.Identity)
	}
	known := make(map[urnKey]int64, len(urns))
	for ws, identities := range byWS {
		for _, chunk := range chunks(identities, tx.batch*8) {
			in, args := inList([]any{ws}, chunk)
			rows, err := tx.query(ctx, `SELECT identity, contact_id FROM contact_urns WHERE workspace_id = $1 AND identity IN (`+in+`)`, args...)
			if err != nil {
				return nil, fmt.Errorf("find urns: %w", err)
			}
			for rows.Next() {
				var k urnKey
				var id int64
				if err := rows.Scan(&k.identity, &id); err != nil {
					rows.Close()
					return nil, fmt.Errorf("find urns: %w", err)
				}
				k.workspaceID = ws
				known[k] = id
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, fmt.Errorf("find urns: %w", err)
			}
		}
	}
	return known, nil
}

// writeURNs makes the contact's URNs exactly urns, in that priority; ErrConflict when one
// belongs to another contact (the upsert then changes no row and returns none).
func writeURNs(ctx context.Context, tx *stmtTx, workspaceID, contactID int64, urns []store.ContactURN) error {
	keep := make([]string, len(urns))
	for i, u := range urns {
		var owner int64
		err := tx.queryRow(ctx, `INSERT INTO contact_urns (workspace_id, identity, contact_id, priority, display, channel_uuid)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workspace_id, identity) DO UPDATE
			SET priority = excluded.priority, display = excluded.display, channel_uuid = excluded.channel_uuid
			WHERE contact_urns.contact_id = excluded.contact_id RETURNING contact_id`,
			workspaceID, u.Identity, contactID, i, u.Display, tx.uc.id(u.ChannelUUID)).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			return errConflict
		}
		if err != nil {
			return fmt.Errorf("write urn %s: %w", u.Identity, err)
		}
		keep[i] = u.Identity
	}
	if len(keep) == 0 {
		_, err := tx.exec(ctx, `DELETE FROM contact_urns WHERE contact_id = $1`, contactID)
		return err
	}
	in, args := inList([]any{contactID}, keep)
	if _, err := tx.ExecContext(ctx, `DELETE FROM contact_urns WHERE contact_id = $1 AND identity NOT IN (`+in+`)`, args...); err != nil {
		return fmt.Errorf("drop old urns: %w", err)
	}
	return nil
}

// setGroups makes the contact's groups exactly groups.
func setGroups(ctx context.Context, tx *stmtTx, contactID int64, groups []int64) error {
	for _, g := range groups {
		if _, err := tx.exec(ctx, `INSERT INTO group_members (contact_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, contactID, g); err != nil {
			return fmt.Errorf("add group %d: %w", g, err)
		}
	}
	q := `DELETE FROM group_members WHERE contact_id = $1`
	args := []any{contactID}
	if len(groups) > 0 {
		var in string
		in, args = inList(args, groups)
		q += ` AND group_id NOT IN (` + in + `)`
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("drop groups: %w", err)
	}
	return nil
}

// CreateContact implements store.ContactStore.
func (s *Store) CreateContact(ctx context.Context, c *store.Contact, resched store.Reschedule) error {
	if c.UUID == "" {
		c.UUID = newUUID()
	}
	if c.CreatedOn.IsZero() {
		c.CreatedOn = fromMS(s.nowMS())
	}
	if c.ModifiedOn.IsZero() {
		c.ModifiedOn = c.CreatedOn
	}
	if c.Status == "" {
		c.Status = "active"
	}
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		err := tx.QueryRowContext(ctx, `INSERT INTO contacts (workspace_id, uuid, name, language, status, timezone, created_on, modified_on,
			last_seen_on, fields, current_session_uuid, current_flow_uuid) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			c.WorkspaceID, tx.uc.id(c.UUID), c.Name, c.Language, c.Status, c.Timezone, ms(c.CreatedOn), ms(c.ModifiedOn),
			msPtr(c.LastSeenOn), rawText(c.Fields), tx.uc.id(c.CurrentSessionUUID), tx.uc.id(c.CurrentFlowUUID)).Scan(&c.ID)
		if isUnique(err) {
			return errConflict
		}
		if err != nil {
			return fmt.Errorf("create contact: %w", err)
		}
		if err := writeURNs(ctx, tx, c.WorkspaceID, c.ID, c.URNs); err != nil {
			return err
		}
		if err := setGroups(ctx, tx, c.ID, c.Groups); err != nil {
			return err
		}
		if resched == nil {
			return nil
		}
		return writeReschedule(ctx, tx, resched, nil, c)
	})
}

// UpdateContact implements store.ContactStore.
func (s *Store) UpdateContact(ctx context.Context, c *store.Contact, resched store.Reschedule) error {
	if c.ModifiedOn.IsZero() {
		c.ModifiedOn = fromMS(s.nowMS())
	}
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		var before *store.Contact
		if resched != nil {
			// Read (and on PostgreSQL lock) the contact as it is now, for the rules to compare.
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM contacts WHERE id = $1 AND workspace_id = $2`+s.Dialect.ForUpdate,
				c.ID, c.WorkspaceID).Scan(&one)
			if err != nil {
				return notFound(err, fmt.Sprintf("update contact %d", c.ID))
			}
			list, err := loadContactsByID(ctx, tx, c.WorkspaceID, []int64{c.ID})
			if err != nil {
				return fmt.Errorf("update contact %d: %w", c.ID, err)
			}
			before = list[0]
		}
		res, err := tx.ExecContext(ctx, `UPDATE contacts SET name = $1, language = $2, status = $3, timezone = $4, modified_on = $5,
			last_seen_on = $6, fields = $7 WHERE id = $8 AND workspace_id = $9`,
			c.Name, c.Language, c.Status, c.Timezone, ms(c.ModifiedOn), msPtr(c.LastSeenOn), rawText(c.Fields), c.ID, c.WorkspaceID)
		if err := affected(res, err, fmt.Sprintf("update contact %d", c.ID)); err != nil {
			return err
		}
		if err := writeURNs(ctx, tx, c.WorkspaceID, c.ID, c.URNs); err != nil {
			return err
		}
		if err := setGroups(ctx, tx, c.ID, c.Groups); err != nil {
			return err
		}
		if resched == nil {
			return nil
		}
		return writeReschedule(ctx, tx, resched, before, c)
	})
}

// GetContacts implements store.ContactStore.
func (s *Store) GetContacts(ctx context.Context, workspaceID int64, ids []int64) ([]*store.Contact, error) {
	cs, err := loadContactsByID(ctx, s.DB, workspaceID, ids)
	if err != nil {
		return nil, fmt.Errorf("get contacts: %w", err)
	}
	return cs, nil
}

// GetContactByUUID implements store.ContactStore.
func (s *Store) GetContactByUUID(ctx context.Context, workspaceID int64, uuid string) (*store.Contact, error) {
	cs, err := loadContacts(ctx, s.DB, `WHERE workspace_id = $1 AND uuid = $2`, workspaceID, s.uc().id(uuid))
	if err != nil {
		return nil, fmt.Errorf("get contact %s: %w", uuid, err)
	}
	if len(cs) == 0 {
		return nil, errNotFound
	}
	return cs[0], nil
}

// ContactIDForURN implements store.ContactStore.
func (s *Store) ContactIDForURN(ctx context.Context, workspaceID int64, identity string) (int64, error) {
	var id int64
	err := s.DB.QueryRowContext(ctx, `SELECT contact_id FROM contact_urns WHERE workspace_id = $1 AND identity = $2`, workspaceID, identity).Scan(&id)
	if err != nil {
		return 0, notFound(err, "find urn "+identity)
	}
	return id, nil
}

// FindContactIDs implements store.ContactStore. Explicit UUIDs and IDs are queried in
// chunks, each with every other filter.
func (s *Store) FindContactIDs(ctx context.Context, workspaceID int64, f store.ContactFilter) ([]int64, error) {
	type part struct {
		col  string
		vals []any
	}
	var parts []part
	for _, c := range chunks(f.UUIDs, chunkSize) {
		parts = append(parts, part{"uuid", s.uc().ids(c)})
	}
	for _, c := range chunks(f.IDs, chunkSize) {
		parts = append(parts, part{"id", anys(c)})
	}
	if parts == nil && (len(f.UUIDs) > 0 || len(f.IDs) > 0) {
		return nil, nil
	}
	if parts == nil {
		parts = []part{{}}
	}
	var ids []int64
	for _, p := range parts {
		q, args := contactFilterSQL(s.uc(), workspaceID, f)
		if p.col != "" {
			in, a := inList(args, p.vals)
			q, args = q+` AND `+p.col+` IN (`+in+`)`, a
		}
		rows, err := s.DB.QueryContext(ctx, q+` ORDER BY id`, args...)
		got, err := collect(rows, err, scanInt64)
		if err != nil {
			return nil, fmt.Errorf("find contacts: %w", err)
		}
		ids = append(ids, got...)
	}
	if len(parts) > 1 {
		slices.Sort(ids)
		ids = slices.Compact(ids)
	}
	return ids, nil
}

func anys[T any](vals []T) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v
	}
	return out
}

// contactFilterSQL is the SELECT of f's filters other than explicit UUIDs and IDs.
func contactFilterSQL(uc uuidCodec, workspaceID int64, f store.ContactFilter) (string, []any) {
	args := []any{workspaceID}
	var sb strings.Builder
	sb.WriteString(`SELECT id FROM contacts WHERE workspace_id = $1`)
	if len(f.Groups) > 0 {
		in, a := inList(args, f.Groups)
		args = a
		sb.WriteString(` AND id IN (SELECT contact_id FROM group_members WHERE group_id IN (` + in + `))`)
	}
	if len(f.ExcludeGroups) > 0 {
		in, a := inList(args, f.ExcludeGroups)
		args = a
		sb.WriteString(` AND id NOT IN (SELECT contact_id FROM group_members WHERE group_id IN (` + in + `))`)
	}
	if f.Active {
		sb.WriteString(` AND status = 'active'`)
	}
	if f.NotInFlow {
		sb.WriteString(` AND current_session_uuid = ''`)
	}
	if f.NotStartedFlow != "" {
		args = append(args, uc.id(f.NotStartedFlow), ms(f.NotStartedSince))
		fmt.Fprintf(&sb, ` AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.contact_id = contacts.id AND runs.flow_uuid = $%d
			AND runs.created_on >= $%d)`, len(args)-1, len(args))
	}
	if !f.SeenSince.IsZero() {
		args = append(args, ms(f.SeenSince))
		fmt.Fprintf(&sb, ` AND last_seen_on > $%d`, len(args))
	}
	return sb.String(), args
}

// ScanContacts implements store.ContactStore.
func (s *Store) ScanContacts(ctx context.Context, workspaceID, afterID int64, limit int) ([]*store.Contact, error) {
	cs, err := loadContacts(ctx, s.DB, `WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3`, workspaceID, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("scan contacts: %w", err)
	}
	return cs, nil
}

// DeleteContact implements store.ContactStore.
func (s *Store) DeleteContact(ctx context.Context, workspaceID, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = $1 AND workspace_id = $2`, id, workspaceID)
		if err := affected(res, err, fmt.Sprintf("delete contact %d", id)); err != nil {
			return err
		}
		for _, table := range []string{"contact_urns", "group_members", "sessions", "runs", "msgs", "contact_tasks", "contact_fires"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE contact_id = $1`, id); err != nil {
				return fmt.Errorf("delete contact %d %s: %w", id, table, err)
			}
		}
		return nil
	})
}

// CountContacts implements store.ContactStore.
func (s *Store) CountContacts(ctx context.Context, workspaceID int64) (int64, error) {
	var n int64
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM contacts WHERE workspace_id = $1`, workspaceID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count contacts: %w", err)
	}
	return n, nil
}
