package outbound

import (
	"bytes"
	"context"
	"time"
)

// configTTL bounds how long the parsed configs are reused without asking for the settings
// again; settings changed on this node invalidate them at once (InvalidateConfigs), changes
// made by another node sharing the database are seen within it.
const configTTL = time.Second

// configCache keeps the parsed outbound configs until the settings change.
type configCache struct {
	raw     []byte
	configs []Config
	byName  map[string]Config
	enabled bool
	at      time.Time
}

// InvalidateConfigs makes the next look-up read the settings again (Settings.OnChange).
func (s *Service) InvalidateConfigs() {
	s.mu.Lock()
	s.cfg.at = time.Time{}
	s.mu.Unlock()
}

// configs returns the current configs and whether outbound is enabled (§1.1).
func (s *Service) configs(ctx context.Context) (*configCache, error) {
	s.mu.Lock()
	if s.cfg.byName != nil && time.Since(s.cfg.at) < configTTL {
		c := s.cfg
		s.mu.Unlock()
		return &c, nil
	}
	s.mu.Unlock()
	raw, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.byName != nil && bytes.Equal(raw, s.cfg.raw) {
		s.cfg.at = time.Now()
		c := s.cfg
		return &c, nil
	}
	list, err := ParseConfigs(raw)
	if err != nil {
		return nil, err
	}
	c := configCache{raw: append([]byte(nil), raw...), configs: list, byName: map[string]Config{}, enabled: Enabled(raw), at: time.Now()}
	for _, cf := range list {
		c.byName[cf.Name] = cf
	}
	s.cfg = c
	return &c, nil
}
