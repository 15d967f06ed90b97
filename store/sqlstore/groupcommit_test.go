package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestGroupCommitIsolatesFailures: concurrent write transactions share commits, and one that
// fails leaves no trace while the others in its group commit.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "g.db")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	s := New(db, Dialect{Name: "sqlite", GroupCommit: true})
	errBoom := errors.New("boom")
	const n = 200
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.inTx(context.Background(), func(tx *sql.Tx) error {
				if _, err := tx.Exec(`INSERT INTO t (n) VALUES ($1)`, i); err != nil {
					return err
				}
				if i%3 == 0 {
					return fmt.Errorf("work %d: %w", i, errBoom) // after writing: must be undone
				}
				return nil
			})
		}()
	}
	wg.Wait()
	var rows int
	db.QueryRow(`SELECT COUNT(*) FROM t`).Scan(&rows)
	want := 0
	for i, err := range errs {
		if i%3 == 0 {
			if !errors.Is(err, errBoom) {
				t.Fatalf("work %d: %v, want its own error", i, err)
			}
			var got int
			if db.QueryRow(`SELECT COUNT(*) FROM t WHERE n = $1`, i).Scan(&got); got != 0 {
				t.Fatalf("failed work %d left its row", i)
			}
			continue
		}
		if err != nil {
			t.Fatalf("work %d: %v", i, err)
		}
		want++
	}
	if rows != want {
		t.Fatalf("%d rows, want %d", rows, want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: %v", err)
	}
}

// TestGroupCommitsCheckpointInBackground: group commits run on one connection, and the log is
// checkpointed in the background after them; Close stops the checkpointer.
func TestGroupCommitsCheckpointInBackground(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "c.db")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	s := New(db, Dialect{Name: "sqlite", GroupCommit: true, Checkpoint: "PRAGMA wal_checkpoint(PASSIVE)"})
	for i := range 20 {
		if err := s.inTx(context.Background(), func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO t (n) VALUES ($1)`, i)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.group.checkpoints.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no background checkpoint after the commits")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := db.Stats().InUse; got != 1 {
		t.Fatalf("%d connections in use between groups, want the committer's 1", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	n := s.group.checkpoints.Load()
	time.Sleep(3 * checkpointEvery)
	if s.group.checkpoints.Load() != n {
		t.Fatal("the checkpointer ran after Close")
	}
}
