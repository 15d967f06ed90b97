package cht

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"careflow/store"
	"careflow/store/storetest"
)

func TestWriteBatcherGivesEachCallerItsResult(t *testing.T) {
	st := storetest.OpenSQLite(t)
	docs := NewDocs(st)
	var batches, written int
	var mu sync.Mutex
	docs.OnWrite(func(res []store.DocResult) {
		mu.Lock()
		batches++
		for _, r := range res {
			if r.Err == nil {
				written++
			}
		}
		mu.Unlock()
	})
	b := &writeBatcher{docs: docs}
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("doc-%03d", i)
			w := store.DocWrite{ID: id, Fields: []byte(fmt.Sprintf(`{"n":%d}`, i))}
			if i == 7 {
				w.Rev = "1-stale" // a conflict stays this caller's own
			}
			res, err := b.write(context.Background(), w)
			switch {
			case err != nil:
				errs <- err
			case res.ID != id:
				errs <- fmt.Errorf("caller %s got the result of %s", id, res.ID)
			case i == 7 && res.Err == nil, i != 7 && res.Err != nil:
				errs <- fmt.Errorf("%s: result error %v", id, res.Err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if c, _ := st.CountDocs(context.Background()); c != n-1 || written != n-1 {
		t.Fatalf("%d docs stored, %d applied writes seen by hooks; want %d", c, written, n-1)
	}
	t.Logf("%d writes in %d transactions", n, batches)
}
