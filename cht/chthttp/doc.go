// Package chthttp serves careflow's CHT-compatible HTTP surface (cht.md §0, §2–§4, §6, §7):
// the records API, contacts-by-phone, people and places, users, sessions, app settings,
// credentials and the CouchDB-style /medic endpoints cht-conf uses (documents with inline
// attachments, _bulk_docs, _all_docs, the views and search its deploy and hierarchy actions
// query, form validation). Handlers authenticate and check permissions as CHT does, call the
// cht services, and render every error in one place (errors.go) in the shape CHT gives it.
// Record submissions honour Idempotency-Key through internal/idempotency (idempotency.go).
//
// It imports the cht services and the store contract, never a store backend or the server.
package chthttp
