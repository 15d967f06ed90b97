// Package outbound is careflow's version of CHT's outbound push (app_settings.outbound): when a
// document is written, every push config whose relevant_to holds is mapped to a JSON payload
// and POSTed to its destination.
//
// The observable results match CHT's exactly: which configs are relevant, the payload, the body
// bytes (JavaScript's JSON.stringify), the SHA-256 dedupe hash, the URL (url-join), headers and
// authentication (spec cht.md §1; conformance suite cht-outbound). Delivery is careflow's own:
// a durable queue in the database with exponential back-off and jitter, a dead-letter state an
// admin can re-queue, one lane per destination host so a failing endpoint never holds up a
// healthy one, and leases so several nodes can share a PostgreSQL database. A host that
// cannot be reached pauses its whole lane; an HTTP error (5xx, 429) pauses only the URL that
// answered it, so the host's other paths keep flowing.
//
// Lifecycle of a push:
//  1. Docs.Write commits a document and its outbox entry (store.DocChange) together, then
//     calls Service.Notify.
//  2. The evaluator reads the outbox and evaluates every config against the hydrated document;
//     the committer then, in one transaction, deletes those outbox entries and enqueues
//     (doc, config, payload, hash) — nothing when that payload was already acknowledged — and
//     claims for this node what its lanes have room for.
//  3. Lane workers send; the dispatcher claims whatever else is due (retries, overflow).
//  4. Outcomes are recorded in batches: success marks the push sent (its hash becomes the
//     dedupe record); failure schedules a retry, or dead-letters the push after MaxAge.
//
// A crash anywhere loses nothing: an outbox entry disappears only in the transaction that
// queues its pushes, and a claimed push whose outcome was never recorded is claimed again once
// its lease expires. A push can therefore be sent twice if the node died between the
// destination's answer and the recording of it; every copy carries the same Idempotency-Key
// header (IdempotencyKey: document, config and payload hash), so a receiver that honours it
// — careflow's records API does, through internal/idempotency — applies it exactly once.
//
// JavaScript (relevant_to and mapping expr) runs in goja with only doc in scope, frozen
// built-ins, a time limit and an allocation limit; a payload that cannot be built is queued and
// built again at the next try. The package reads the database only through its Store
// interface and serves no HTTP itself beyond the handlers API registers.
package outbound
