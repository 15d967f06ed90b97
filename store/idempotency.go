package store

import (
	"context"
	"errors"
)

// ErrReplay is a guarded write's result when its idempotency key was already recorded: the
// write it guards happened before and was not applied again.
var ErrReplay = errors.New("idempotency key already used")

// Idempotency is a key a receiver honours and the answer it gave to the request that first
// used it. Given with a write (DocWrite.Idempotency), it is recorded in the write's own
// transaction, so the key exists exactly when the write committed.
type Idempotency struct {
	Scope string // who the key belongs to: keys of different callers or endpoints never meet
	Key   string
	// RequestHash fingerprints the request, so a key reused for another request is refused.
	RequestHash string
	Status      int
	ContentType string
	Body        []byte
	CreatedAt   int64 // ms since the epoch; set by the store
}

// IdempotencyStore reads and expires recorded idempotency keys.
type IdempotencyStore interface {
	// GetIdempotency returns the record of key in scope, or ErrNotFound.
	GetIdempotency(ctx context.Context, scope, key string) (Idempotency, error)
	// PurgeIdempotency deletes the records created before before and says how many.
	PurgeIdempotency(ctx context.Context, before int64) (int64, error)
}
