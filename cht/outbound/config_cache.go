package outbound

import (
	"bytes"
	"context"
	"errors"
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
	// urls is each config's destination URL (base_url joined with path), worked out once per
	// settings version rather than by two regular-expression passes on every push.
	urls    map[string]joinedURL
	enabled bool
}

// joinedURL is URLJoin's result for a config's destination.
type joinedURL struct {
	url string
	err error
}

// url returns config name's destination URL, as URLJoin gives it.
func (c *configCache) url(name string) (string, error) {
	if u, ok := c.urls[name]; ok {
		return u.url, u.err
	}
	cf, ok := c.byName[name]
	if !ok {
		return "", errors.New("outbound config '" + name + "' no longer exists")
	}
	return URLJoin(member(cf.Destination(), "base_url"), member(cf.Destination(), "path"))
}

// InvalidateConfigs makes the next look-up read the settings again (Settings.OnChange).
func (s *Service) InvalidateConfigs() {
	s.mu.Lock()
	s.cfgAt = time.Time{}
	s.mu.Unlock()
}

// configs returns the current configs and whether outbound is enabled (§1.1). A cache is never
// changed once made, so callers share it (every push asks, twice).
func (s *Service) configs(ctx context.Context) (*configCache, error) {
	s.mu.Lock()
	if s.cfg != nil && time.Since(s.cfgAt) < configTTL {
		c := s.cfg
		s.mu.Unlock()
		return c, nil
	}
	s.mu.Unlock()
	raw, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg != nil && bytes.Equal(raw, s.cfg.raw) {
		s.cfgAt = time.Now()
		return s.cfg, nil
	}
	list, err := ParseConfigs(raw)
	if err != nil {
		return nil, err
	}
	c := &configCache{raw: append([]byte(nil), raw...), configs: list, byName: map[string]Config{}, urls: map[string]joinedURL{},
		enabled: Enabled(raw)}
	for _, cf := range list {
		c.byName[cf.Name] = cf
		u, err := URLJoin(member(cf.Destination(), "base_url"), member(cf.Destination(), "path"))
		c.urls[cf.Name] = joinedURL{u, err}
	}
	s.cfg, s.cfgAt = c, time.Now()
	return c, nil
}
