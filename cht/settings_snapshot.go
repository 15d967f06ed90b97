package cht

import (
	"context"
	"encoding/json"
)

// Snapshot returns the current settings both decoded and as stored, from one read, for
// callers that need both (the records API reads forms from the stored JSON to keep their
// field order). The map is shared: callers must not modify it.
func (s *Settings) Snapshot(ctx context.Context) (map[string]any, json.RawMessage, error) {
	return s.load(ctx)
}
