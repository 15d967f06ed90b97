package outbound

import (
	"fmt"
	"strings"
)

// Config is one entry of app_settings.outbound, kept as the JSON it was given so that every
// oddity of a hand-written config (a missing path, a non-string key) behaves as it does in CHT.
type Config struct {
	// Name is the entry's key: the push name in logs, errors, the queue and dedupe records.
	Name string
	// Raw is the entry's value.
	Raw Value
}

// ParseConfigs reads app_settings (the settings JSON) and returns its outbound entries in key
// order. Settings without outbound, or with outbound that is not an object, have none.
func ParseConfigs(settingsJSON []byte) ([]Config, error) {
	v, err := ParseJSON(settingsJSON)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	root, ok := v.(*Object)
	if !ok {
		return nil, nil
	}
	ob, _ := root.Get("outbound")
	return ConfigsFrom(ob), nil
}

// ConfigsFrom lists the entries of an outbound object in key order.
func ConfigsFrom(outbound Value) []Config {
	o, ok := outbound.(*Object)
	if !ok {
		return nil
	}
	out := make([]Config, 0, len(o.keys))
	for _, k := range o.keys {
		out = append(out, Config{Name: k, Raw: o.vals[k]})
	}
	return out
}

// Enabled reports whether settings turn outbound push on (§1.1): the mark_for_outbound
// transition configured and not disabled, and a non-empty outbound object.
func Enabled(settingsJSON []byte) bool {
	v, err := ParseJSON(settingsJSON)
	if err != nil {
		return false
	}
	root, ok := v.(*Object)
	if !ok {
		return false
	}
	ob, _ := root.Get("outbound")
	if o, ok := ob.(*Object); !ok || len(o.keys) == 0 {
		return false
	}
	tr, _ := root.Get("transitions")
	t, ok := tr.(*Object)
	if !ok {
		return false
	}
	m, ok := t.Get("mark_for_outbound")
	if !ok || !truthy(m) {
		return false
	}
	if mo, ok := m.(*Object); ok {
		if d, ok := mo.Get("disable"); ok && truthy(d) {
			return false
		}
	}
	return true
}

// member returns v[k] when v is an object, else Undefined.
func member(v Value, k string) Value {
	if o, ok := v.(*Object); ok {
		if x, ok := o.Get(k); ok {
			return x
		}
	}
	return Undefined
}

// RelevantTo returns the relevant_to source, or "" when the entry has none (never selected).
func (c Config) RelevantTo() string {
	r := member(c.Raw, "relevant_to")
	if !truthy(r) {
		return ""
	}
	return jsString(r)
}

// Cron returns the cron expression, or "" when the entry has none.
func (c Config) Cron() string {
	r := member(c.Raw, "cron")
	if !truthy(r) {
		return ""
	}
	return jsString(r)
}

// Destination returns the destination object (or Undefined).
func (c Config) Destination() Value { return member(c.Raw, "destination") }

// DestinationKey names the endpoint a push goes to, for per-destination lanes: the scheme and
// host of base_url, lower-cased.
func (c Config) DestinationKey() string {
	base, _ := member(c.Destination(), "base_url").(string)
	s := strings.ToLower(base)
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		if j := strings.IndexAny(rest, "/?#"); j >= 0 {
			rest = rest[:j]
		}
		return s[:i+3] + rest
	}
	return s
}

// truthy is JavaScript truthiness for JSON values.
func truthy(v Value) bool {
	switch t := v.(type) {
	case nil, undefinedValue:
		return false
	case bool:
		return t
	case float64:
		return t != 0 && t == t
	case string:
		return t != ""
	}
	return true
}
