package cht

import (
	"context"
	"sync"

	"careflow/store"
)

// maxBatch bounds how many documents one grouped transaction writes.
const maxBatch = 256

// writeBatcher groups concurrent writes of new documents (records from many clients at once)
// into shared Docs.Write transactions: the first writer to arrive leads, writing everything
// queued meanwhile in one transaction and handing each caller its own result, so concurrent
// requests share one commit instead of queueing on the database's write lock one by one.
type writeBatcher struct {
	docs *Docs

	mu      sync.Mutex
	pending []*pendingWrite
	leading bool
}

type pendingWrite struct {
	w    store.DocWrite
	res  store.DocResult
	err  error
	done chan struct{}
}

// write applies w, possibly together with other callers' writes, and returns its own result.
func (b *writeBatcher) write(ctx context.Context, w store.DocWrite) (store.DocResult, error) {
	p := &pendingWrite{w: w, done: make(chan struct{})}
	b.mu.Lock()
	b.pending = append(b.pending, p)
	lead := !b.leading
	b.leading = true
	b.mu.Unlock()
	if lead {
		// The batch outlives any one caller's cancellation: it carries the others' writes too.
		b.lead(context.WithoutCancel(ctx))
	}
	select {
	case <-p.done:
		return p.res, p.err
	case <-ctx.Done():
		return store.DocResult{}, ctx.Err()
	}
}

// lead writes one batch of what is queued, then hands the lead to a new goroutine if more
// is queued. The leader's own caller waits for the lead to return: when a leader kept going
// until the queue ran dry, under steady load its caller waited for every batch after its own
// (measured: a maximum of 5–27 s for single requests on PostgreSQL with 50 clients).
func (b *writeBatcher) lead(ctx context.Context) {
	b.mu.Lock()
	n := min(len(b.pending), maxBatch)
	batch := b.pending[:n:n]
	b.pending = b.pending[n:]
	b.mu.Unlock()

	writes := make([]store.DocWrite, len(batch))
	for i, p := range batch {
		writes[i] = p.w
	}
	var res []store.DocResult
	var err error
	if len(writes) > 0 {
		res, err = b.docs.Write(ctx, writes)
	}
	for i, p := range batch {
		if err != nil {
			p.err = err
		} else {
			p.res = res[i]
		}
		close(p.done)
	}

	b.mu.Lock()
	more := len(b.pending) > 0
	if !more {
		b.leading = false
	}
	b.mu.Unlock()
	if more {
		go b.lead(ctx)
	}
}
