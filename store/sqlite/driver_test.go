package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
)

func TestAnonymize(t *testing.T) {
	cases := []struct {
		in, out string
		refs    []int
	}{
		{`SELECT 1`, `SELECT 1`, nil},
		{`SELECT $1, $2`, `SELECT ?, ?`, []int{1, 2}},
		{`SELECT $2 WHERE a = $1 OR b = $1`, `SELECT ? WHERE a = ? OR b = ?`, []int{2, 1, 1}},
		{`SELECT '$1', "$2", $3 -- $4` + "\n" + `/* $5 */ , $10`, `SELECT '$1', "$2", ? -- $4` + "\n" + `/* $5 */ , ?`, []int{3, 10}},
		{`SELECT json_extract(x, '$.a') FROM t WHERE id = $1`, `SELECT json_extract(x, '$.a') FROM t WHERE id = ?`, []int{1}},
		{`SELECT 'it''s $1', $1`, `SELECT 'it''s $1', ?`, []int{1}},
		// Other kinds of parameters: left to the driver.
		{`SELECT $1, ?`, `SELECT $1, ?`, nil},
		{`SELECT $1, :x`, `SELECT $1, :x`, nil},
		{`SELECT $name`, `SELECT $name`, nil},
		{`SELECT 'open`, `SELECT 'open`, nil},
	}
	for _, c := range cases {
		out, refs := anonymize(c.in)
		if out != c.out || !slices.Equal(refs, c.refs) {
			t.Errorf("anonymize(%q) = %q %v, want %q %v", c.in, out, refs, c.out, c.refs)
		}
	}
}

// TestNumberedParameters runs numbered parameters through the real driver: out of order, used
// twice, prepared and not, and with too few arguments.
func TestNumberedParameters(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open(driverName, "file:"+filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (a TEXT, b INTEGER, c TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO t (c, b, a) VALUES ($3, $2, $1), ($1, $2, '$3')`, "x", 7, "z"); err != nil {
		t.Fatal(err)
	}
	st, err := db.PrepareContext(ctx, `SELECT a, b, c FROM t WHERE b = $2 AND (a = $1 OR c = $1) ORDER BY a`)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.QueryContext(ctx, "x", 7)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var a, c string
		var b int
		if err := rows.Scan(&a, &b, &c); err != nil {
			t.Fatal(err)
		}
		got = append(got, a+"|"+c)
	}
	rows.Close()
	if want := []string{"$3|x", "x|z"}; !slices.Equal(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	if _, err := db.ExecContext(ctx, `SELECT $3`, 1); err == nil {
		t.Fatal("a parameter with no argument was accepted")
	}
}
