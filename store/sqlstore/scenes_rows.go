package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"careflow/internal/memo"
	"careflow/store"
)

// The rows every scene updates (its contact, its handled messages, its cleared session fires)
// go in one statement per chunk of scenes rather than one each: a statement costs more to run
// than the row it changes. The rows travel in a VALUES list that the statement joins on; the
// first row's placeholders carry their types, which PostgreSQL needs to type the list.

// typedValuesSQL renders rows groups of placeholders, the first group cast to types when typed
// (PostgreSQL; SQLite needs no types, and a cast would turn its compact UUIDs into text).
func typedValuesSQL(typed bool, rows int, types ...string) string {
	if !typed {
		return valuesSQL(rows, len(types))
	}
	return typedTexts.Get(strconv.Itoa(rows)+":"+strings.Join(types, ","), func(string) string {
		var sb strings.Builder
		n := 0
		for r := range rows {
			if r > 0 {
				sb.WriteString(", ")
			}
			sb.WriteByte('(')
			for c, typ := range types {
				if c > 0 {
					sb.WriteString(", ")
				}
				n++
				if r == 0 {
					sb.WriteString("CAST($" + strconv.Itoa(n) + " AS " + typ + ")")
				} else {
					sb.WriteString("$" + strconv.Itoa(n))
				}
			}
			sb.WriteByte(')')
		}
		return sb.String()
	})
}

var typedTexts = memo.New[string, string](1024)

// contactRow is a scene's contact to write, with the index of its scene in the commit.
type contactRow struct {
	c     *store.Contact
	scene int
}

// updateContacts writes the contacts' rows and releases owner's leases on them. A contact
// whose lease owner no longer holds fails its scene: its index is returned with the error.
func updateContacts(ctx context.Context, tx *stmtTx, owner string, rows []contactRow, now int64) (int, error) {
	// A row joined twice would be updated by either: the last scene's wins, as one by one.
	rows = lastByKey(rows, func(r contactRow) int64 { return r.c.ID })
	for _, chunk := range chunks(rows, tx.batch) {
		args := make([]any, 0, 1+len(chunk)*10)
		for _, r := range chunk {
			c := r.c
			mod := ms(c.ModifiedOn)
			if mod == 0 {
				mod = now
			}
			args = append(args, c.ID, c.Name, c.Language, c.Status, c.Timezone, mod, msPtr(c.LastSeenOn), rawText(c.Fields),
				tx.uc.id(c.CurrentSessionUUID), tx.uc.id(c.CurrentFlowUUID))
		}
		// owner follows the list's parameters.
		args = append(args, owner)
		ownerArg := "$" + strconv.Itoa(len(args))
		values := typedValuesSQL(tx.typed, len(chunk), "BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "BIGINT", "BIGINT", "TEXT",
			"TEXT", "TEXT")
		rs, err := tx.query(ctx, `WITH v (id, name, language, status, timezone, modified_on, last_seen_on, fields,
			current_session_uuid, current_flow_uuid) AS (VALUES `+values+`)
			UPDATE contacts SET name = v.name, language = v.language, status = v.status, timezone = v.timezone,
			modified_on = v.modified_on, last_seen_on = v.last_seen_on, fields = v.fields,
			current_session_uuid = v.current_session_uuid, current_flow_uuid = v.current_flow_uuid,
			lease_until = 0, lease_owner = '' FROM v WHERE contacts.id = v.id AND contacts.lease_owner = `+ownerArg+`
			RETURNING contacts.id`, args...)
		won, err := collect(rs, err, scanInt64)
		if err != nil {
			return -1, fmt.Errorf("write contacts: %w", err)
		}
		if len(won) == len(chunk) {
			continue
		}
		got := make(map[int64]bool, len(won))
		for _, id := range won {
			got[id] = true
		}
		for _, r := range chunk {
			if !got[r.c.ID] {
				// The lease ran out and another worker may have the contact: writing now
				// could undo what it did, so the scene fails and its tasks are handled again.
				return r.scene, fmt.Errorf("contact %d is no longer leased to %s: %w", r.c.ID, owner, store.ErrConflict)
			}
		}
	}
	return -1, nil
}

// markHandled sets incoming messages' status, flow and visibility.
func markHandled(ctx context.Context, tx *stmtTx, msgs []*store.Msg, now int64) error {
	msgs = lastByKey(msgs, func(m *store.Msg) int64 { return m.ID })
	for _, chunk := range chunks(msgs, tx.batch) {
		args := make([]any, 0, 1+len(chunk)*4)
		for _, m := range chunk {
			status, vis := m.Status, m.Visibility
			if status == "" {
				status = store.MsgHandled
			}
			if vis == "" {
				vis = "visible"
			}
			args = append(args, m.ID, status, tx.uc.id(m.FlowUUID), vis)
		}
		args = append(args, now)
		nowArg := "$" + strconv.Itoa(len(args))
		values := typedValuesSQL(tx.typed, len(chunk), "BIGINT", "TEXT", "TEXT", "TEXT")
		if _, err := tx.exec(ctx, `WITH v (id, status, flow_uuid, visibility) AS (VALUES `+values+`)
			UPDATE msgs SET status = v.status, flow_uuid = v.flow_uuid, visibility = v.visibility, modified_on = `+nowArg+`
			FROM v WHERE msgs.id = v.id`, args...); err != nil {
			return fmt.Errorf("handle msgs: %w", err)
		}
	}
	return nil
}

// fireClear is a session fire type to delete for a contact.
type fireClear struct {
	contactID int64
	typ       string
}

// deleteFireTypes deletes the contacts' session fires of the given types. (An EXISTS on the list
// would have SQLite scan every fire; a row-value IN looks each pair up in the unique index.)
func deleteFireTypes(ctx context.Context, tx *stmtTx, clears []fireClear) error {
	for _, chunk := range chunks(clears, tx.batch) {
		args := make([]any, 0, len(chunk)*2)
		for _, c := range chunk {
			args = append(args, c.contactID, c.typ)
		}
		if _, err := tx.exec(ctx, `WITH v (contact_id, type) AS (VALUES `+typedValuesSQL(tx.typed, len(chunk), "BIGINT", "TEXT")+`)
			DELETE FROM contact_fires WHERE (contact_id, type) IN (SELECT contact_id, type FROM v)`, args...); err != nil {
			return fmt.Errorf("clear fires: %w", err)
		}
	}
	return nil
}
