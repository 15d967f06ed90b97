package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"careflow/store"
)

// Header is the request header carrying the key, as in the IETF httpapi draft and Stripe.
const Header = "Idempotency-Key"

// ReplayedHeader is set to "true" on an answer replayed for a key seen before.
const ReplayedHeader = "Idempotent-Replayed"

// DefaultRetention is how long a key is remembered when Guard.Retention is zero: longer than
// outbound's default retry window, so a push retried for a day still meets its key.
const DefaultRetention = 7 * 24 * time.Hour

// MaxKeyLength bounds a key (the draft suggests UUIDs; careflow's own keys are 64 hex digits).
const MaxKeyLength = 255

var (
	// ErrKeyInvalid is a key that is empty after trimming, too long or not printable ASCII.
	ErrKeyInvalid = errors.New("Idempotency-Key must be 1 to 255 printable ASCII characters")
	// ErrKeyReused is a key already used with a different request.
	ErrKeyReused = errors.New("Idempotency-Key was already used with a different request")
)

// Store is what a Guard needs of the database.
type Store interface {
	GetIdempotency(ctx context.Context, scope, key string) (store.Idempotency, error)
	PurgeIdempotency(ctx context.Context, before int64) (int64, error)
}

// Guard serves the idempotent requests of a process.
type Guard struct {
	Store Store
	// Retention is how long keys are kept (DefaultRetention when zero).
	Retention time.Duration
	// Now is the clock of the purge (time.Now when nil).
	Now func() time.Time
}

// Claim is a request's key not yet recorded: the handler attaches Record to its write.
type Claim struct {
	guard       *Guard
	scope, key  string
	requestHash string
}

// Begin looks up the request's key. Without a key it returns a nil claim. With a key seen
// before for the same request it writes the recorded answer to w and returns done. Otherwise
// it returns the claim to record with the guarded write. body is the request body, part of
// the request's fingerprint with its method and path.
func (g *Guard) Begin(w http.ResponseWriter, r *http.Request, scope string, body []byte) (c *Claim, done bool, err error) {
	values := r.Header.Values(Header)
	if len(values) == 0 {
		return nil, false, nil
	}
	key := values[0]
	if len(values) > 1 || !validKey(key) {
		return nil, false, ErrKeyInvalid
	}
	c = &Claim{guard: g, scope: scope, key: key, requestHash: fingerprint(r, body)}
	rec, err := g.Store.GetIdempotency(r.Context(), scope, key)
	if errors.Is(err, store.ErrNotFound) {
		return c, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if err := c.answer(w, rec); err != nil {
		return nil, false, err
	}
	return nil, true, nil
}

// Record is the record to attach to the guarded write: the answer the write produces. A nil
// claim gives nil.
func (c *Claim) Record(status int, contentType string, body []byte) *store.Idempotency {
	if c == nil {
		return nil
	}
	return &store.Idempotency{Scope: c.scope, Key: c.key, RequestHash: c.requestHash, Status: status,
		ContentType: contentType, Body: body}
}

// Replay answers a request whose write found its key taken (store.ErrReplay) with the answer
// recorded by the write that took it.
func (c *Claim) Replay(w http.ResponseWriter, r *http.Request) error {
	rec, err := c.guard.Store.GetIdempotency(r.Context(), c.scope, c.key)
	if err != nil {
		return fmt.Errorf("replay idempotency key %s: %w", c.key, err)
	}
	return c.answer(w, rec)
}

func (c *Claim) answer(w http.ResponseWriter, rec store.Idempotency) error {
	if rec.RequestHash != c.requestHash {
		return ErrKeyReused
	}
	if rec.ContentType != "" {
		w.Header().Set("Content-Type", rec.ContentType)
	}
	w.Header().Set(ReplayedHeader, "true")
	w.WriteHeader(rec.Status)
	w.Write(rec.Body)
	return nil
}

// Run purges expired keys every hour (and at once) until ctx ends.
func (g *Guard) Run(ctx context.Context) error {
	for {
		if _, err := g.Purge(ctx); err != nil && ctx.Err() == nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Hour):
		}
	}
}

// Purge deletes the keys older than the retention window and says how many.
func (g *Guard) Purge(ctx context.Context) (int64, error) {
	now := time.Now
	if g.Now != nil {
		now = g.Now
	}
	keep := g.Retention
	if keep <= 0 {
		keep = DefaultRetention
	}
	return g.Store.PurgeIdempotency(ctx, now().Add(-keep).UnixMilli())
}

func validKey(k string) bool {
	if k == "" || len(k) > MaxKeyLength {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// fingerprint identifies a request by method, path and body (not headers: a retry may carry
// a fresh request id or date).
func fingerprint(r *http.Request, body []byte) string {
	h := sha256.New()
	h.Write([]byte(r.Method + " " + r.URL.Path + "\n"))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}
