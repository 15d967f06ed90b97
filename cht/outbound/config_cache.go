package outbound

import (
	"bytes"
	"context"
)

// configCache keeps the parsed outbound configs until the settings change.
type configCache struct {
	raw     []byte
	configs []Config
	byName  map[string]Config
	enabled bool
}

// configs returns the current configs and whether outbound is enabled (§1.1).
func (s *Service) configs(ctx context.Context) (*configCache, error) {
	raw, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.byName != nil && bytes.Equal(raw, s.cfg.raw) {
		c := s.cfg
		return &c, nil
	}
	list, err := ParseConfigs(raw)
	if err != nil {
		return nil, err
	}
	c := configCache{raw: append([]byte(nil), raw...), configs: list, byName: map[string]Config{}, enabled: Enabled(raw)}
	for _, cf := range list {
		c.byName[cf.Name] = cf
	}
	s.cfg = c
	return &c, nil
}
