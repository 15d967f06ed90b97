package cht

import (
	"context"
	"strings"
	"sync"
	"unicode/utf8"

	"careflow/internal/jsonbody"
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
// A write neither store can keep faithfully (an id or a body with invalid UTF-8, a NUL, a
// lone surrogate or a duplicate key) gets a bad_request *CouchError in its result and is not
// passed on, so one bad document fails alone and both backends answer alike.
func (d *Docs) Write(ctx context.Context, writes []store.DocWrite) ([]store.DocResult, error) {
	res := make([]store.DocResult, len(writes))
	good := make([]store.DocWrite, 0, len(writes))
	var slots []int
	for i, w := range writes {
		if err := checkWrite(w); err != nil {
			res[i] = store.DocResult{ID: w.ID, Err: err}
			continue
		}
		good = append(good, w)
		slots = append(slots, i)
	}
	if len(good) > 0 {
		stored, err := d.Store.WriteDocs(ctx, good)
		if err != nil {
			return nil, err
		}
		for j, r := range stored {
			res[slots[j]] = r
		}
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

func checkWrite(w store.DocWrite) error {
	if strings.IndexByte(w.ID, 0) >= 0 || !utf8.ValidString(w.ID) {
		return &CouchError{Status: 400, Code: "bad_request", Reason: "Document id must be valid UTF-8 without NUL characters."}
	}
	if len(w.Fields) > 0 {
		// The depth bound here is generous: request bodies were held to the API's limit
		// already, and documents careflow builds nest them a few levels deeper.
		if err := jsonbody.Check(w.Fields, jsonbody.Limits{MaxDepth: 1000}); err != nil {
			return &CouchError{Status: 400, Code: "bad_request", Reason: "invalid JSON: " + err.Error()}
		}
	}
	return nil
}

// Get returns a live document.
func (d *Docs) Get(ctx context.Context, id string) (store.Doc, error) {
	return d.Store.GetDoc(ctx, id)
}
