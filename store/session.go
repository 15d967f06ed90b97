package store

import "context"

// SessionStore keeps revoked session tokens. Session tokens are signed, not stored, so a
// logout (DELETE /_session) is recorded here for every node sharing the database to see.
type SessionStore interface {
	// RevokeSession records the digest of a session token as revoked until expiresAt (ms
	// since epoch, the token's own expiry). Revoking a digest twice is not an error. Revoked
	// entries already past their expiry are deleted on the way.
	RevokeSession(ctx context.Context, digest string, expiresAt int64) error
	// SessionRevoked reports whether the digest was revoked.
	SessionRevoked(ctx context.Context, digest string) (bool, error)
}
