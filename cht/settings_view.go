package cht

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// SettingsViewTTL is how long a SettingsView trusts its copy: changes made through this
// node's Settings show at once (a change listener drops the copy); changes made by another
// node sharing the database show within this time.
const SettingsViewTTL = time.Second

// SettingsView is a read-mostly copy of the settings for the hot request paths (permission
// checks, records), so a request does not read the settings row from the database each
// time it needs them.
type SettingsView struct {
	settings *Settings
	// Now is the clock for the copy's age.
	Now func() time.Time

	mu  sync.Mutex
	m   map[string]any
	raw json.RawMessage
	at  time.Time
	gen uint64
}

// NewSettingsView returns a view over s.
func NewSettingsView(s *Settings) *SettingsView {
	v := &SettingsView{settings: s, Now: time.Now}
	s.OnChange(func(map[string]any) {
		v.mu.Lock()
		v.m, v.raw = nil, nil
		v.gen++
		v.mu.Unlock()
	})
	return v
}

// Get returns the settings. The map is shared: callers must not modify it.
func (v *SettingsView) Get(ctx context.Context) (map[string]any, error) {
	m, _, err := v.Snapshot(ctx)
	return m, err
}

// Snapshot returns the settings decoded and as stored, from one read.
func (v *SettingsView) Snapshot(ctx context.Context) (map[string]any, json.RawMessage, error) {
	v.mu.Lock()
	if v.m != nil && v.Now().Sub(v.at) < SettingsViewTTL {
		m, raw := v.m, v.raw
		v.mu.Unlock()
		return m, raw, nil
	}
	gen := v.gen
	v.mu.Unlock()
	m, raw, err := v.settings.Snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	v.mu.Lock()
	if v.gen == gen { // no change landed while reading: the copy is current
		v.m, v.raw, v.at = m, raw, v.Now()
	}
	v.mu.Unlock()
	return m, raw, nil
}
