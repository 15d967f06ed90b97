// Package outbound is careflow's version of CHT's outbound push (app_settings.outbound): when a
// document is written, every push config whose relevant_to holds is mapped to a JSON payload
// and POSTed to its destination.
//
// The observable results match CHT's exactly: which configs are relevant, the payload, the body
// bytes (JavaScript's JSON.stringify), the SHA-256 dedupe hash, the URL (url-join), headers and
// authentication. Delivery is careflow's own: a durable queue in the database with exponential
// back-off and jitter, a dead-letter state an admin can re-queue, one lane per destination so a
// failing endpoint never holds up a healthy one, and leases so several nodes can share a
// PostgreSQL database.
//
// Lifecycle of a push:
//  1. Docs.Write commits a document and its outbox entry (store.DocChange) together.
//  2. The Service's intake reads the outbox, evaluates each config against the hydrated
//     document and enqueues (doc, config, payload, hash); an unchanged payload that was already
//     acknowledged is not enqueued again.
//  3. The dispatcher claims due pushes per destination under a lease and sends them.
//  4. Success marks the push sent; failure schedules a retry, or dead-letters it after MaxAge.
//
// JavaScript (relevant_to and mapping expr) runs in goja with only doc in scope, frozen
// built-ins, a time limit and an allocation limit. This package imports no HTTP server
// framework and no store backend: it talks to the store through the small Queue interface.
package outbound
