package migrate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Current is the newest spec version a migration exists for.
var Current = MustParseVersion("14.4.2")

// Flow is a definition decoded into generic JSON values.
type Flow map[string]any

// Config supplies what migrations need from outside.
type Config struct {
	// NewUUID returns a fresh lowercase UUID (13.1.0 and 13.4.0 create items). Nil uses a
	// deterministic generator seeded from the definition being migrated.
	NewUUID func() string
}

// Func migrates a definition one spec version forward, in place.
type Func func(f Flow, cfg *Config) error

type registered struct {
	version Version
	fn      Func
}

var migrations []registered

// register adds the migration to version; registering a version twice is a programmer error.
func register(version string, fn Func) {
	v := MustParseVersion(version)
	for _, m := range migrations {
		if m.version == v {
			panic("migrate: version registered twice: " + version)
		}
	}
	migrations = append(migrations, registered{v, fn})
	sort.Slice(migrations, func(i, j int) bool { return migrations[i].version.Compare(migrations[j].version) < 0 })
}

// Versions returns every version that has a migration, oldest first.
func Versions() []Version {
	vs := make([]Version, len(migrations))
	for i, m := range migrations {
		vs[i] = m.version
	}
	return vs
}

// HeaderError is returned when the definition's uuid, name or spec_version is missing or
// invalid; its message is the field-level problem.
type HeaderError struct{ Problem string }

func (e *HeaderError) Error() string { return e.Problem }

// CheckHeader checks the fields every 13+ definition has: uuid (a UUID), name (1..64
// characters) and spec_version (a semantic version), and returns the parsed version.
func CheckHeader(f Flow) (Version, error) {
	var problems []string
	uuid, _ := f["uuid"].(string)
	if uuid == "" {
		problems = append(problems, "field 'uuid' is required")
	} else if !isUUID(uuid) {
		problems = append(problems, "field 'uuid' must be a valid UUID")
	}
	name, _ := f["name"].(string)
	if name == "" {
		problems = append(problems, "field 'name' is required")
	} else if len([]rune(name)) > 64 {
		problems = append(problems, "field 'name' must be less than or equal to 64")
	}
	sv, _ := f["spec_version"].(string)
	var v Version
	if sv == "" {
		problems = append(problems, "field 'spec_version' is required")
	} else {
		var err error
		if v, err = ParseVersion(sv); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		return v, &HeaderError{strings.Join(problems, ", ")}
	}
	return v, nil
}

// ToVersion migrates f (a 13.0.0+ definition) forward to version to, which is included. It
// returns the definition's spec version before migrating.
func ToVersion(f Flow, to Version, cfg *Config) (Version, error) {
	from, err := CheckHeader(f)
	if err != nil {
		return from, err
	}
	if cfg == nil {
		cfg = &Config{}
	}
	c := *cfg
	if c.NewUUID == nil {
		c.NewUUID = SeededUUIDs(f)
	}
	for _, m := range migrations {
		if m.version.Compare(from) <= 0 || m.version.Compare(to) > 0 {
			continue
		}
		if err := m.fn(f, &c); err != nil {
			return from, fmt.Errorf("unable to migrate to version %s: %w", m.version, err)
		}
		f["spec_version"] = m.version.String()
	}
	return from, nil
}

// ToLatest migrates f to Current.
func ToLatest(f Flow, cfg *Config) (Version, error) { return ToVersion(f, Current, cfg) }

// Decode parses a definition into a Flow; it must be a JSON object.
func Decode(data []byte) (Flow, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("flow definition isn't an object")
	}
	return Flow(m), nil
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
