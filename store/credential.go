package store

import "context"

// CredentialStore keeps credentials (outbound push passwords and tokens). The store sees only
// ciphertext: encryption happens above it with a key kept outside the database.
type CredentialStore interface {
	// PutCredential creates or replaces the sealed secret under key.
	PutCredential(ctx context.Context, key string, sealed []byte) error
	// GetCredential returns the sealed secret, or ErrNotFound.
	GetCredential(ctx context.Context, key string) ([]byte, error)
	// ListCredentialKeys returns the keys in order, never the secrets.
	ListCredentialKeys(ctx context.Context) ([]string, error)
	// DeleteCredential removes a credential; ErrNotFound when there is none.
	DeleteCredential(ctx context.Context, key string) error
}
