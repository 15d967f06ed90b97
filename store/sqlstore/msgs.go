package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"careflow/store"
)

const msgColumns = `id, uuid, workspace_id, contact_id, urn, channel_uuid, incoming, text, attachments, quick_replies, locale,
	status, visibility, flow_uuid, broadcast_id, external_id, high_priority, labels, created_on, modified_on, sent_on,
	error_count, next_attempt, failed_reason`

func scanMsg(row interface{ Scan(...any) error }) (*store.Msg, error) {
	var m store.Msg
	var att, qr, labels string
	var created, modified, sent, next int64
	if err := row.Scan(&m.ID, ud(&m.UUID), &m.WorkspaceID, &m.ContactID, &m.URN, ud(&m.ChannelUUID), &m.Incoming, &m.Text, &att, &qr,
		&m.Locale, &m.Status, &m.Visibility, ud(&m.FlowUUID), &m.BroadcastID, &m.ExternalID, &m.HighPriority, &labels, &created,
		&modified, &sent, &m.ErrorCount, &next, &m.FailedReason); err != nil {
		return nil, err
	}
	m.Attachments, m.QuickReplies, m.Labels = textList(att), textList(qr), textList(labels)
	m.CreatedOn, m.ModifiedOn, m.SentOn, m.NextAttempt = fromMS(created), fromMS(modified), fromMSPtr(sent), fromMSPtr(next)
	return &m, nil
}

// msgDefaults fills in what a new message leaves empty.
func msgDefaults(m *store.Msg, now int64) {
	if m.UUID == "" {
		m.UUID = newUUID()
	}
	if m.Visibility == "" {
		m.Visibility = "visible"
	}
	if m.Status == "" {
		m.Status = store.MsgPending
		if !m.Incoming {
			m.Status = store.MsgQueued
		}
	}
	if m.CreatedOn.IsZero() {
		m.CreatedOn = fromMS(now)
	}
	if m.ModifiedOn.IsZero() {
		m.ModifiedOn = m.CreatedOn
	}
}

const msgInsertColumns = `uuid, workspace_id, contact_id, urn, channel_uuid, incoming, text, attachments, quick_replies, locale,
	status, visibility, flow_uuid, broadcast_id, external_id, high_priority, labels, created_on, modified_on, sent_on, error_count,
	next_attempt, failed_reason`

func msgRow(uc uuidCodec, m *store.Msg) []any {
	return []any{uc.id(m.UUID), m.WorkspaceID, m.ContactID, m.URN, uc.id(m.ChannelUUID), m.Incoming, m.Text, listText(m.Attachments),
		listText(m.QuickReplies), m.Locale, m.Status, m.Visibility, uc.id(m.FlowUUID), m.BroadcastID, m.ExternalID, m.HighPriority,
		listText(m.Labels), ms(m.CreatedOn), ms(m.ModifiedOn), msPtr(m.SentOn), m.ErrorCount, msPtr(m.NextAttempt), m.FailedReason}
}

// insertMsg stores m, filling in defaults and setting its ID.
func insertMsg(ctx context.Context, tx *stmtTx, m *store.Msg, now int64) error {
	msgDefaults(m, now)
	err := tx.queryRow(ctx, `INSERT INTO msgs (`+msgInsertColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) RETURNING id`,
		msgRow(tx.uc, m)...).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("insert msg: %w", err)
	}
	return nil
}

// GetMsg implements store.MsgStore.
func (s *Store) GetMsg(ctx context.Context, id int64) (*store.Msg, error) {
	m, err := scanMsg(s.DB.QueryRowContext(ctx, `SELECT `+msgColumns+` FROM msgs WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("get msg %d", id))
	}
	return m, nil
}

// ListMsgs implements store.MsgStore.
func (s *Store) ListMsgs(ctx context.Context, workspaceID int64, q store.MsgQuery) ([]*store.Msg, error) {
	args := []any{workspaceID}
	var sb strings.Builder
	sb.WriteString(`SELECT ` + msgColumns + ` FROM msgs WHERE workspace_id = $1`)
	cond := func(sqlf string, v any) {
		args = append(args, v)
		fmt.Fprintf(&sb, sqlf, len(args))
	}
	if q.ContactID != 0 {
		cond(` AND contact_id = $%d`, q.ContactID)
	}
	if q.ChannelUUID != "" {
		cond(` AND channel_uuid = $%d`, s.uc().id(q.ChannelUUID))
	}
	if q.URN != "" {
		cond(` AND urn = $%d`, q.URN)
	}
	if q.Incoming != nil {
		cond(` AND incoming = $%d`, *q.Incoming)
	}
	if len(q.Statuses) > 0 {
		var in string
		in, args = inList(args, q.Statuses)
		sb.WriteString(` AND status IN (` + in + `)`)
	}
	if q.AfterID != 0 {
		cond(` AND id > $%d`, q.AfterID)
	}
	if q.BeforeID != 0 {
		cond(` AND id < $%d`, q.BeforeID)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	cond(` ORDER BY id DESC LIMIT $%d`, limit)
	rows, err := s.DB.QueryContext(ctx, sb.String(), args...)
	msgs, err := collect(rows, err, func(r *sql.Rows) (*store.Msg, error) { return scanMsg(r) })
	if err != nil {
		return nil, fmt.Errorf("list msgs: %w", err)
	}
	return msgs, nil
}

// ClaimOutgoing implements store.MsgStore. The outbox index holds only queued and errored
// messages, so the claim reads just those of the channel.
func (s *Store) ClaimOutgoing(ctx context.Context, channelUUID, owner string, now, leaseUntil time.Time, limit int) ([]*store.Msg, error) {
	var msgs []*store.Msg
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE msgs SET lease_owner = $1, lease_until = $2 WHERE id IN (
			SELECT id FROM msgs WHERE channel_uuid = $3 AND status IN ('queued', 'errored') AND incoming = FALSE
			AND (status = 'queued' OR next_attempt <= $4) AND lease_until < $4
			ORDER BY high_priority DESC, id LIMIT $5`+s.Dialect.SkipLocked+`) RETURNING `+msgColumns,
			owner, ms(leaseUntil), s.uc().id(channelUUID), ms(now), limit)
		msgs, err = collect(rows, err, func(r *sql.Rows) (*store.Msg, error) { return scanMsg(r) })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim outgoing %s: %w", channelUUID, err)
	}
	// RETURNING has no order; the sender wants the claim's.
	slices.SortFunc(msgs, func(a, b *store.Msg) int {
		if a.HighPriority != b.HighPriority {
			if a.HighPriority {
				return -1
			}
			return 1
		}
		return cmpInt(a.ID, b.ID)
	})
	return msgs, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// UpdateMsgStatuses implements store.MsgStore.
func (s *Store) UpdateMsgStatuses(ctx context.Context, updates []store.MsgStatusUpdate) error {
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		for _, u := range updates {
			now := ms(u.Now)
			if now == 0 {
				now = s.nowMS()
			}
			sentOn, errInc := int64(0), 0
			switch u.Status {
			case store.MsgWired, store.MsgSent, store.MsgDelivered, store.MsgRead:
				sentOn = now
			case store.MsgErrored:
				errInc = 1
			}
			if _, err := tx.exec(ctx, `UPDATE msgs SET status = $1,
				external_id = CASE WHEN $2 = '' THEN external_id ELSE $2 END,
				failed_reason = $3, next_attempt = $4, modified_on = $5,
				sent_on = CASE WHEN sent_on = 0 THEN $6 ELSE sent_on END,
				error_count = error_count + $7, lease_owner = '', lease_until = 0
				WHERE id = $8`, u.Status, u.ExternalID, u.FailedReason, msPtr(u.NextAttempt), now, sentOn, errInc, u.ID); err != nil {
				return fmt.Errorf("update msg %d status: %w", u.ID, err)
			}
		}
		return nil
	})
}
