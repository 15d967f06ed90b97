package cht

import (
	"context"
	"sync"

	"careflow/store"
)

// Docs is the one path every document write takes. The store records each applied write in its
// outbox inside the write's own transaction, so a consumer that reads the outbox never misses
// one, even across a crash; the hooks here only tell in-process consumers to look now rather
// than at their next poll.
type Docs struct {
	Store store.Store

	mu    sync.RWMutex
	hooks []func(results []store.DocResult)
}

// NewDocs returns the write path over s.
func NewDocs(s store.Store) *Docs { return &Docs{Store: s} }

// OnWrite adds fn to be called, after commit, with the results of every write batch that
// applied at least one document. fn must not block.
func (d *Docs) OnWrite(fn func(results []store.DocResult)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.hooks = append(d.hooks, fn)
}

// Write applies writes in one transaction (see store.DocStore.WriteDocs) and then calls the hooks.
func (d *Docs) Write(ctx context.Context, writes []store.DocWrite) ([]store.DocResult, error) {
	res, err := d.Store.WriteDocs(ctx, writes)
	if err != nil {
		return nil, err
	}
	applied := false
	for _, r := range res {
		if r.Err == nil {
			applied = true
			break
		}
	}
	if applied {
		d.mu.RLock()
		hooks := d.hooks
		d.mu.RUnlock()
		for _, h := range hooks {
			h(res)
		}
	}
	return res, nil
}

// Get returns a live document.
func (d *Docs) Get(ctx context.Context, id string) (store.Doc, error) {
	return d.Store.GetDoc(ctx, id)
}
