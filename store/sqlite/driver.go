package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	msqlite "modernc.org/sqlite"
)

// The shared SQL numbers its parameters ($1, $2, ...) because PostgreSQL needs that. To SQLite
// "$1" is a named parameter, and the driver looks every parameter's name up on every execution
// (a walk of the statement's name list each time): for the multi-row statements the runtime
// commits with, hundreds of parameters, that was a sixth of the write path's CPU. So the
// connection rewrites each numbered parameter to an anonymous "?", which needs no name lookup,
// and hands the driver the arguments in the order the placeholders appear (a number used twice
// is passed twice).

const driverName = "careflow-sqlite"

func init() { sql.Register(driverName, numberedDriver{&msqlite.Driver{}}) }

type numberedDriver struct{ d driver.Driver }

func (d numberedDriver) Open(name string) (driver.Conn, error) {
	c, err := d.d.Open(name)
	if err != nil {
		return nil, err
	}
	return &numberedConn{c: c}, nil
}

// conn is every interface of the driver's connection that database/sql uses.
type conn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type numberedConn struct{ c driver.Conn }

func (n *numberedConn) inner() conn { return n.c.(conn) }

func (n *numberedConn) Prepare(query string) (driver.Stmt, error) {
	return n.PrepareContext(context.Background(), query)
}

func (n *numberedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	q, refs := anonymize(query)
	s, err := n.inner().PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return &numberedStmt{s: s, refs: refs}, nil
}

func (n *numberedConn) Close() error { return n.c.Close() }
func (n *numberedConn) Begin() (driver.Tx, error) {
	return n.BeginTx(context.Background(), driver.TxOptions{})
}
func (n *numberedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return n.inner().BeginTx(ctx, opts)
}
func (n *numberedConn) Ping(ctx context.Context) error         { return n.inner().Ping(ctx) }
func (n *numberedConn) ResetSession(ctx context.Context) error { return n.inner().ResetSession(ctx) }
func (n *numberedConn) IsValid() bool                          { return n.inner().IsValid() }

func (n *numberedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	q, refs := anonymize(query)
	a, err := reorder(refs, args)
	if err != nil {
		return nil, err
	}
	return n.inner().ExecContext(ctx, q, a)
}

func (n *numberedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, refs := anonymize(query)
	a, err := reorder(refs, args)
	if err != nil {
		return nil, err
	}
	return n.inner().QueryContext(ctx, q, a)
}

type numberedStmt struct {
	s    driver.Stmt
	refs []int
}

func (s *numberedStmt) Close() error  { return s.s.Close() }
func (s *numberedStmt) NumInput() int { return -1 }

func (s *numberedStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *numberedStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *numberedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	a, err := reorder(s.refs, args)
	if err != nil {
		return nil, err
	}
	return s.s.(driver.StmtExecContext).ExecContext(ctx, a)
}

func (s *numberedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	a, err := reorder(s.refs, args)
	if err != nil {
		return nil, err
	}
	return s.s.(driver.StmtQueryContext).QueryContext(ctx, a)
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

// reorder returns the arguments in placeholder order. refs nil means the query was passed on
// unchanged, and so are the arguments.
func reorder(refs []int, args []driver.NamedValue) ([]driver.NamedValue, error) {
	if refs == nil {
		return args, nil
	}
	inOrder := len(refs) == len(args)
	for i, r := range refs {
		if r > len(args) {
			return nil, fmt.Errorf("sqlite: parameter $%d has no argument (%d given)", r, len(args))
		}
		if r != i+1 || args[i].Ordinal != i+1 || args[i].Name != "" {
			inOrder = false
		}
	}
	if inOrder {
		return args, nil
	}
	byOrdinal := make([]driver.Value, len(args)+1)
	for _, a := range args {
		if a.Name != "" || a.Ordinal < 1 || a.Ordinal > len(args) {
			return nil, fmt.Errorf("sqlite: named argument %q where numbered parameters are used", a.Name)
		}
		byOrdinal[a.Ordinal] = a.Value
	}
	out := make([]driver.NamedValue, len(refs))
	for i, r := range refs {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: byOrdinal[r]}
	}
	return out, nil
}

// anonymize rewrites $N parameters outside string literals, quoted names and comments to "?",
// returning the numbers in order of appearance. A query with no $N parameter, or with
// parameters of another kind (?, :name, @name), is returned as it is with nil refs.
func anonymize(q string) (string, []int) {
	if !strings.Contains(q, "$") {
		return q, nil
	}
	var b strings.Builder
	var refs []int
	last := 0
	for i := 0; i < len(q); i++ {
		switch c := q[i]; c {
		case '\'', '"', '`':
			j := strings.IndexByte(q[i+1:], c)
			if j < 0 {
				return q, nil
			}
			i += j + 1
		case '[':
			j := strings.IndexByte(q[i+1:], ']')
			if j < 0 {
				return q, nil
			}
			i += j + 1
		case '-':
			if i+1 < len(q) && q[i+1] == '-' {
				j := strings.IndexByte(q[i:], '\n')
				if j < 0 {
					i = len(q)
				} else {
					i += j
				}
			}
		case '/':
			if i+1 < len(q) && q[i+1] == '*' {
				j := strings.Index(q[i+2:], "*/")
				if j < 0 {
					return q, nil
				}
				i += j + 3
			}
		case '?', ':', '@':
			// Other kinds of parameters (":" also appears in casts and JSON paths, which
			// sit inside literals; anywhere else it is a parameter).
			if c == '?' || i+1 < len(q) && isNameByte(q[i+1]) {
				return q, nil
			}
		case '$':
			j := i + 1
			num := 0
			for j < len(q) && q[j] >= '0' && q[j] <= '9' && num < 1<<20 {
				num = num*10 + int(q[j]-'0')
				j++
			}
			if j == i+1 {
				if j < len(q) && isNameByte(q[j]) {
					return q, nil // $name
				}
				continue
			}
			if b.Len() == 0 {
				b.Grow(len(q))
			}
			b.WriteString(q[last:i])
			b.WriteByte('?')
			refs = append(refs, num)
			last = j
			i = j - 1
		}
	}
	if refs == nil {
		return q, nil
	}
	b.WriteString(q[last:])
	return b.String(), refs
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
