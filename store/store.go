package store

import (
	"context"
	"errors"
)

// ErrNotFound is returned when the record asked for does not exist (or, for documents, was
// deleted and a live one was asked for).
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write names a revision that is not the current one, or creates
// a record whose key is taken.
var ErrConflict = errors.New("conflict")

// Store is everything careflow keeps. Each area has its own interface in its own file so that
// later work adds an area without touching the others.
type Store interface {
	DocStore
	UserStore
	SettingsStore
	CredentialStore
	OutboundStore
	SessionStore
	IdempotencyStore
	Messaging

	// Ping reports whether the database answers; /health uses it.
	Ping(ctx context.Context) error
	// Backend names the backend ("sqlite" or "postgres").
	Backend() string
	// Close releases the database.
	Close() error
}
