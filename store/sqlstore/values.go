package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"careflow/store"
)

// The messaging tables keep times as milliseconds (0 for none) and lists and JSON as text
// ('' for none); these convert at the boundary.

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func msPtr(t *time.Time) int64 {
	if t == nil {
		return 0
	}
	return ms(*t)
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func fromMSPtr(v int64) *time.Time {
	if v == 0 {
		return nil
	}
	t := time.UnixMilli(v).UTC()
	return &t
}

func listText(l []string) string {
	if len(l) == 0 {
		return ""
	}
	b, _ := json.Marshal(l)
	return string(b)
}

func textList(s string) []string {
	if s == "" {
		return nil
	}
	var l []string
	_ = json.Unmarshal([]byte(s), &l)
	return l
}

func rawText(r json.RawMessage) string { return string(r) }

func textRaw(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

// newUUID makes a version 7 UUID: time ordered, so new rows land at the end of an index.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16|uint64(b[6])<<8|uint64(b[7]))
	b[6] = 0x70 | b[6]&0x0f
	b[8] = 0x80 | b[8]&0x3f
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// isUnique reports a unique-constraint violation: SQLSTATE 23505 from PostgreSQL, the
// constraint message from SQLite (this package imports no driver to ask it for a code).
func isUnique(err error) bool {
	var st interface{ SQLState() string }
	if errors.As(err, &st) {
		return st.SQLState() == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// inList renders "$from, $from+1, ..." for n values and appends them to args.
//
// The list is padded to a power of two by repeating its last value (which changes nothing
// in an IN), so statements built on it come in a few texts that stay prepared instead of one
// new text for every length.
func inList[T any](args []any, vals []T) (string, []any) {
	var sb strings.Builder
	n := 0
	if len(vals) > 0 {
		n = 1
		for n < len(vals) {
			n *= 2
		}
	}
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		args = append(args, vals[min(i, len(vals)-1)])
		sb.WriteByte('$')
		sb.WriteString(strconv.Itoa(len(args)))
	}
	return sb.String(), args
}

// chunkSize keeps IN lists and multi-row inserts under both backends' parameter limits.
const chunkSize = 500

func chunks[T any](vals []T, n int) [][]T {
	var out [][]T
	for len(vals) > n {
		out = append(out, vals[:n])
		vals = vals[n:]
	}
	if len(vals) > 0 {
		out = append(out, vals)
	}
	return out
}

// querier is what reads need from a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// collect scans every row with scan.
func collect[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func scanInt64(rows *sql.Rows) (int64, error) {
	var v int64
	err := rows.Scan(&v)
	return v, err
}

// notFound turns sql.ErrNoRows into store.ErrNotFound and wraps anything else.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errNotFound
	}
	return fmt.Errorf("%s: %w", what, err)
}

// bumpAssets moves the workspace's assets version, in the transaction of the change.
func bumpAssets(ctx context.Context, tx querier, workspaceID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE workspaces SET assets_version = assets_version + 1 WHERE id = $1`, workspaceID); err != nil {
		return fmt.Errorf("bump assets version: %w", err)
	}
	return nil
}

// affected returns ErrNotFound when res changed no row.
func affected(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotFound
	}
	return nil
}

var errNotFound, errConflict = store.ErrNotFound, store.ErrConflict

func (s *Store) newStmtTx(tx *sql.Tx) *stmtTx {
	batch := s.Dialect.BatchRows
	if batch <= 0 {
		batch = defaultBatchRows
	}
	return &stmtTx{Tx: tx, stmts: map[string]*sql.Stmt{}, cache: &s.prepared, uc: s.uc(), batch: batch, typed: s.Dialect.Name == "postgres"}
}

func (s *Store) uc() uuidCodec { return uuidCodec(s.Dialect.CompactUUIDs) }

// uuidCodec writes UUIDs as the dialect keeps them (Dialect.CompactUUIDs): a canonical
// lower-case UUID as 16 bytes, anything else as the text it is, so every value reads back
// exactly as written.
type uuidCodec bool

func (c uuidCodec) id(s string) any {
	if !c || len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return s
	}
	b := make([]byte, 16)
	h := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	for i := range 32 {
		x := h[i]
		var v byte
		switch {
		case x >= '0' && x <= '9':
			v = x - '0'
		case x >= 'a' && x <= 'f':
			v = x - 'a' + 10
		default:
			return s
		}
		b[i/2] |= v << (4 * (1 - i%2))
	}
	return b
}

func (c uuidCodec) ids(vals []string) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = c.id(v)
	}
	return out
}

// uuidDest scans a column uuidCodec wrote: a 16-byte blob is a UUID, text is itself.
type uuidDest struct{ p *string }

func ud(p *string) uuidDest { return uuidDest{p} }

func (d uuidDest) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d.p = ""
	case string:
		*d.p = x
	case []byte:
		if len(x) != 16 {
			*d.p = string(x)
			return nil
		}
		h := hex.EncodeToString(x)
		*d.p = h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	default:
		return fmt.Errorf("uuid column holds %T", v)
	}
	return nil
}

func (t *stmtTx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}
