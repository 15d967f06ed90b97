package cht

import (
	"context"
	"errors"
	"fmt"

	"careflow/secret"
	"careflow/store"
)

// ErrCredentialNotFound is returned by Credentials.Get for a key never set (CHT: "not
// configured").
// It wraps store.ErrNotFound, so consumers that know only the store can tell it apart.
var ErrCredentialNotFound = fmt.Errorf("credential not configured: %w", store.ErrNotFound)

// Credentials is CHT's credential store (§1.7): secrets set through PUT
// /api/v1/credentials/{key}, sealed with the server's secrets key before they reach the
// database, and never returned by any API. Server-side consumers (outbound push) read them
// with Get.
type Credentials struct {
	store store.CredentialStore
	box   *secret.Box
}

// NewCredentials returns the credential store over st, sealing with box.
func NewCredentials(st store.CredentialStore, box *secret.Box) *Credentials {
	return &Credentials{store: st, box: box}
}

// Set seals value and stores it under key, replacing any previous value.
func (c *Credentials) Set(ctx context.Context, key, value string) error {
	if key == "" {
		return errors.New("empty credential key")
	}
	if err := c.store.PutCredential(ctx, key, c.box.Seal(sealName(key), []byte(value))); err != nil {
		return fmt.Errorf("set credential %s: %w", key, err)
	}
	return nil
}

// Get returns the plain value of the credential key: ErrCredentialNotFound when it was never
// set; an error wrapping secret.ErrWrongKey, saying so, when it was sealed with another
// secrets key (another node's, or before the key changed).
func (c *Credentials) Get(ctx context.Context, key string) (string, error) {
	sealed, err := c.store.GetCredential(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return "", ErrCredentialNotFound
	}
	if err != nil {
		return "", fmt.Errorf("get credential %s: %w", key, err)
	}
	plain, err := c.box.Open(sealName(key), sealed)
	if errors.Is(err, secret.ErrWrongKey) {
		return "", fmt.Errorf("credential '%s' cannot be decrypted with this node's secrets key: it was stored by a node with a different key; "+
			"nodes sharing a database must share one key (-secret-key or CAREFLOW_SECRET_KEY), or set the credential again: %w", key, err)
	}
	if err != nil {
		return "", fmt.Errorf("credential '%s': %w", key, err)
	}
	return string(plain), nil
}

// sealName binds a sealed value to its key, so a value copied to another key does not open.
func sealName(key string) string { return "credential:" + key }
