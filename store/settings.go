package store

import (
	"context"
	"encoding/json"
)

// Settings is the app settings object (CHT's settings doc) and its revision.
type Settings struct {
	Body json.RawMessage
	Rev  string
}

// SettingsStore keeps the app settings.
type SettingsStore interface {
	// GetSettings returns the settings, or ErrNotFound before any were saved.
	GetSettings(ctx context.Context) (Settings, error)
	// PutSettings saves body if the stored revision is still rev ("" when none is stored yet)
	// and returns the new revision; ErrConflict otherwise, so concurrent merges never lose one.
	PutSettings(ctx context.Context, body json.RawMessage, rev string) (string, error)
}
