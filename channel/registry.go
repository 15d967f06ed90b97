package channel

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"careflow/secret"
	"careflow/store"
)

// Type is one kind of channel: how it receives at /c/<Path>/<uuid>/<action> and how it sends.
// Each type lives in its own file and adds itself to the registry in init.
type Type struct {
	Code    string // as stored on the channel: "EX", "T", "TG", ...
	Path    string // lower-case URL segment: "ex", "t", "tg", ...
	Name    string
	Schemes []string // URN schemes the type reaches when a channel names none
	// Secrets are the config keys sealed at rest and redacted from logs.
	Secrets []string
	// Required are the config keys a channel of this type must have.
	Required []string
	// Actions receive provider requests by action name.
	Actions map[string]ReceiveFunc
	// Send delivers one message; nil for types whose messages are taken, not pushed (the CHT
	// gateway app polls for them).
	Send SendFunc
	// FetchAuth, when set, authenticates the download of media the provider hands in by URL.
	FetchAuth func(req *http.Request, cfg Config)
	// MaxLength is where long texts are split into parts (0: never).
	MaxLength int
}

var registry = map[string]*Type{}

// Register adds a channel type; it panics on a code or path taken twice (a programming error).
func Register(t *Type) {
	for _, o := range registry {
		if o.Code == t.Code || o.Path == t.Path {
			panic("channel: type registered twice: " + t.Code)
		}
	}
	registry[t.Code] = t
}

// Lookup returns the type with a code ("EX") or path ("ex").
func Lookup(codeOrPath string) *Type {
	if t := registry[codeOrPath]; t != nil {
		return t
	}
	for _, t := range registry {
		if t.Path == codeOrPath {
			return t
		}
	}
	return nil
}

// Types lists the registered types by code.
func Types() []*Type {
	out := make([]*Type, 0, len(registry))
	for _, t := range registry {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// DefaultTPS is a channel's sends per second when none is set (runtime.md §8.7); Unlimited
// (a negative TPS) lifts the limit.
const (
	DefaultTPS = 10
	Unlimited  = -1
)

// TPS is the effective limit of a channel; 0 means unlimited.
func TPS(ch *store.Channel) int {
	switch {
	case ch.TPS < 0:
		return 0
	case ch.TPS == 0:
		return DefaultTPS
	}
	return ch.TPS
}

// Config is a channel's opened configuration: secrets in the clear, in memory only.
type Config map[string]any

// Str returns a config value as a string ("" when absent).
func (c Config) Str(key string) string {
	switch v := c[key].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return ""
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// StrOr returns a config value or def when it is empty.
func (c Config) StrOr(key, def string) string {
	if v := c.Str(key); v != "" {
		return v
	}
	return def
}

// Int returns a config value as an int, or def.
func (c Config) Int(key string, def int) int {
	if n, err := strconv.Atoi(c.Str(key)); err == nil {
		return n
	}
	return def
}

// Bool reports whether a config value is true.
func (c Config) Bool(key string) bool {
	b, _ := strconv.ParseBool(c.Str(key))
	return b
}

const sealedPrefix = "sealed:"

func sealName(channelUUID, key string) string { return "channel:" + channelUUID + ":" + key }

// SealConfig turns cfg into the stored JSON of a channel of type t, sealing its secrets.
func SealConfig(box *secret.Box, t *Type, channelUUID string, cfg Config) (json.RawMessage, error) {
	out := map[string]any{}
	for k, v := range cfg {
		out[k] = v
	}
	for _, k := range t.Secrets {
		if s := cfg.Str(k); s != "" {
			out[k] = sealedPrefix + base64.StdEncoding.EncodeToString(box.Seal(sealName(channelUUID, k), []byte(s)))
		}
	}
	return json.Marshal(out)
}

// OpenConfig reads a channel's stored config, opening its secrets.
func OpenConfig(box *secret.Box, t *Type, ch *store.Channel) (Config, error) {
	cfg := Config{}
	if len(ch.Config) > 0 {
		if err := json.Unmarshal(ch.Config, &cfg); err != nil {
			return nil, fmt.Errorf("channel %s config: %w", ch.UUID, err)
		}
	}
	for _, k := range t.Secrets {
		s, ok := cfg[k].(string)
		if !ok || !strings.HasPrefix(s, sealedPrefix) {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, sealedPrefix))
		if err != nil {
			return nil, fmt.Errorf("channel %s secret %s: %w", ch.UUID, k, err)
		}
		plain, err := box.Open(sealName(ch.UUID, k), raw)
		if err != nil {
			return nil, fmt.Errorf("channel %s secret %s: %w", ch.UUID, k, err)
		}
		cfg[k] = string(plain)
	}
	return cfg, nil
}

// redactor replaces a channel's secrets in logged text.
func redactor(t *Type, cfg Config) *strings.Replacer {
	var pairs []string
	for _, k := range t.Secrets {
		if s := cfg.Str(k); len(s) >= 4 {
			// The secret as it may appear: raw, URL-encoded (forms, paths), in a JSON string.
			variants := []string{s, url.QueryEscape(s), url.PathEscape(s)}
			if j, err := json.Marshal(s); err == nil {
				variants = append(variants, strings.Trim(string(j), `"`))
			}
			seen := map[string]bool{}
			for _, v := range variants {
				if !seen[v] {
					seen[v] = true
					pairs = append(pairs, v, "**********")
				}
			}
		}
	}
	return strings.NewReplacer(pairs...)
}
