package outbound

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"careflow/secret"
	"careflow/store"
)

// Validate checks the outbound entries of proposed app settings (a decoded settings object)
// and returns one message per problem, each naming its entry — a config that cannot work
// (bad JavaScript, a credential that is not set, a bad cron, a missing destination or
// mapping) is refused when it is saved rather than failing every push later. creds may be nil
// to skip the credential check.
func Validate(ctx context.Context, sb *Sandbox, creds Credentials, settings map[string]any) []string {
	raw, ok := settings["outbound"]
	if !ok || raw == nil {
		return nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return []string{"outbound: " + err.Error()}
	}
	v, err := ParseJSON(b)
	if err != nil {
		return []string{"outbound: " + err.Error()}
	}
	if _, ok := v.(*Object); !ok {
		return []string{"outbound must be an object of push configs"}
	}
	var problems []string
	for _, c := range ConfigsFrom(v) {
		for _, p := range c.check(ctx, sb, creds) {
			problems = append(problems, fmt.Sprintf("outbound '%s': %s", c.Name, p))
		}
	}
	return problems
}

// CredentialWarnings lists, for each outbound config whose credential is not usable yet (not
// set, or sealed with another node's secrets key), what is wrong. CHT accepts such settings
// and fails only when pushing, so careflow saves them with these warnings: uploading the app
// settings and then setting the credential works in that order.
func CredentialWarnings(ctx context.Context, creds Credentials, settings map[string]any) []string {
	raw, ok := settings["outbound"]
	if !ok || raw == nil || creds == nil {
		return nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil
	}
	v, err := ParseJSON(b)
	if err != nil {
		return nil
	}
	var warnings []string
	for _, c := range ConfigsFrom(v) {
		auth := member(member(c.Raw, "destination"), "auth")
		for _, field := range []string{"password_key", "value_key"} {
			key, ok := member(auth, field).(string)
			if !ok || key == "" {
				continue
			}
			val, err := creds.Get(ctx, key)
			switch {
			case errors.Is(err, secret.ErrWrongKey):
				warnings = append(warnings, fmt.Sprintf("outbound '%s': %v", c.Name, err))
			case err != nil && !errors.Is(err, store.ErrNotFound):
				warnings = append(warnings, fmt.Sprintf("outbound '%s': credential '%s' could not be read: %v", c.Name, key, err))
			case val == "":
				warnings = append(warnings, fmt.Sprintf("outbound '%s': credential '%s' (destination.auth.%s) is not set yet; pushes fail until it is set with PUT /api/v1/credentials/%s",
					c.Name, key, field, url.PathEscape(key)))
			}
		}
	}
	return warnings
}

func (c Config) check(ctx context.Context, sb *Sandbox, creds Credentials) []string {
	if _, ok := c.Raw.(*Object); !ok {
		return []string{"must be an object"}
	}
	var ps []string
	add := func(f string, a ...any) { ps = append(ps, fmt.Sprintf(f, a...)) }
	switch rt := member(c.Raw, "relevant_to").(type) {
	case undefinedValue:
		add("relevant_to is missing: the push would never be selected")
	case string:
		if err := sb.Compile(rt); err != nil {
			add("relevant_to: %v", err)
		}
	default:
		add("relevant_to must be a string of JavaScript")
	}
	ps = append(ps, c.checkDestination(ctx, creds)...)
	m, ok := member(c.Raw, "mapping").(*Object)
	if !ok {
		add("mapping must be an object")
	} else {
		for _, dest := range m.keys {
			switch e := m.vals[dest].(type) {
			case string:
				if e == "" {
					add("mapping %q: empty path", dest)
				}
			case *Object:
				expr, path := member(e, "expr"), member(e, "path")
				if s, ok := expr.(string); ok && s != "" {
					if err := sb.Compile(s); err != nil {
						add("mapping %q: expr: %v", dest, err)
					}
				} else if s, ok := path.(string); !ok || s == "" {
					add("mapping %q: either 'expr' or 'path' is required", dest)
				}
			default:
				add("mapping %q must be a path string or an object with expr or path", dest)
			}
		}
	}
	if cr := member(c.Raw, "cron"); cr != Undefined {
		s, ok := cr.(string)
		if !ok {
			add("cron must be a string")
		} else if _, err := ParseCron(s); err != nil {
			add("%v", err)
		}
	}
	return ps
}

func (c Config) checkDestination(ctx context.Context, creds Credentials) []string {
	var ps []string
	add := func(f string, a ...any) { ps = append(ps, fmt.Sprintf(f, a...)) }
	d, ok := c.Destination().(*Object)
	if !ok {
		return []string{"destination must be an object with base_url and path"}
	}
	base, ok := member(d, "base_url").(string)
	if u, err := url.Parse(base); !ok || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		add("destination.base_url must be an http or https URL")
	}
	if _, ok := member(d, "path").(string); !ok {
		add("destination.path must be a string")
	}
	auth := member(d, "auth")
	if auth == Undefined {
		return ps
	}
	if _, ok := auth.(*Object); !ok {
		return append(ps, "destination.auth must be an object")
	}
	needCred := func(field string) {
		key, ok := member(auth, field).(string)
		if !ok || key == "" {
			add("destination.auth.%s is required", field)
			return
		}
		if creds == nil {
			return
		}
		if v, err := creds.Get(ctx, key); err != nil || v == "" {
			add("credential '%s' (destination.auth.%s) is not set; set it with PUT /api/v1/credentials/%s", key, field, url.PathEscape(key))
		}
	}
	typ, _ := member(auth, "type").(string)
	switch strings.ToLower(typ) {
	case "":
		add("destination.auth.type is required (basic, header or muso-sih)")
	case "basic":
		if _, ok := member(auth, "username").(string); !ok {
			add("destination.auth.username is required")
		}
		needCred("password_key")
	case "header":
		if n, _ := member(auth, "name").(string); !strings.EqualFold(n, "authorization") {
			add("destination.auth.name must be Authorization")
		}
		needCred("value_key")
	case "muso-sih":
		if _, ok := member(auth, "username").(string); !ok {
			add("destination.auth.username is required")
		}
		if _, ok := member(auth, "path").(string); !ok {
			add("destination.auth.path is required")
		}
		needCred("password_key")
	default:
		add("destination.auth.type %q is not one of basic, header, muso-sih", typ)
	}
	return ps
}
