// Package chthttp serves careflow's CHT-compatible HTTP surface (cht.md §0, §2–§4, §6, §7):
// the records API, contacts-by-phone, people and places, users, sessions, app settings,
// credentials and the CouchDB-style /medic endpoints cht-conf uses. Handlers authenticate
// and check permissions as CHT does, call the cht services, and render every error in one
// place (errors.go) in the shape CHT gives it.
//
// It imports the cht services and the store contract, never a store backend or the server.
package chthttp
