// Package idempotency lets an HTTP receiver honour the Idempotency-Key request header, so a
// client that repeats a request (careflow's outbound push re-sending after a crash, a
// RapidPro-style client retrying a flow start) has it applied exactly once and gets the
// original answer back.
//
// The key is recorded in the same transaction as the write it guards (store.Idempotency on
// the write), so the key exists exactly when the write committed: there is no window in
// which a write is done but its key unknown, or the reverse. Keys live in a scope (the
// endpoint and the authenticated caller), are fingerprinted with their request (the same key
// with another request is refused), and are kept for Guard.Retention.
//
// Using it in a handler, in four steps:
//
//  1. Read the body, then call Guard.Begin(w, r, scope, body). done means the key was seen
//     before and the original answer has been written to w: return. An error is ErrKeyInvalid
//     or ErrKeyReused (answer 400 or 422 in the endpoint's own error shape) or a store error.
//  2. Build the answer the write will produce (say {"success":true,"id":…} for a new record
//     whose id the handler chooses before writing) and attach claim.Record(status,
//     contentType, body) to the write; a nil claim (no key sent) gives nil, which records
//     nothing. The store writes the record in the write's transaction.
//  3. If the write's result is store.ErrReplay, a concurrent or earlier request with the same
//     key committed first: call claim.Replay(w) and return.
//  4. Otherwise answer exactly what was recorded.
//
// Guard.Run purges expired keys; run it once per process.
//
// The package imports store and net/http only; it knows nothing of any endpoint's shapes.
package idempotency
