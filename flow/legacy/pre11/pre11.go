package pre11

import (
	"fmt"
	"strconv"
	"strings"
)

// Final is the last legacy version: exports at or above it need no step of this package.
const Final = "11.12"

// Earliest is the oldest export version RapidPro imports.
const Earliest = "3"

// versions are RapidPro's legacy versions in order; a step runs for each one after the
// export's own version.
var versions = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "10.1", "10.2", "10.3", "10.4",
	"11.0", "11.1", "11.2", "11.3", "11.4", "11.5", "11.6", "11.7", "11.8", "11.9", "11.10", "11.11", "11.12"}

// Version is a legacy version as major and minor numbers (4 is 4.0; "11.10" is after "11.9").
type Version struct{ Major, Minor int }

// ParseVersion reads a version as exports write it: a JSON number (4, 10.4) or a string.
func ParseVersion(v any) (Version, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = strings.TrimSpace(x)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		s = strconv.Itoa(x)
	case interface{ String() string }: // json.Number
		s = x.String()
	default:
		return Version{}, fmt.Errorf("version %v is not a number", v)
	}
	major, minor, _ := strings.Cut(s, ".")
	var out Version
	var err error
	if out.Major, err = strconv.Atoi(major); err != nil {
		return Version{}, fmt.Errorf("version %q is not a number", s)
	}
	if minor != "" {
		if out.Minor, err = strconv.Atoi(minor); err != nil {
			return Version{}, fmt.Errorf("version %q is not a number", s)
		}
	}
	return out, nil
}

// Less orders versions.
func (v Version) Less(o Version) bool {
	return v.Major < o.Major || (v.Major == o.Major && v.Minor < o.Minor)
}

func (v Version) String() string {
	if v.Minor == 0 && v.Major < 11 {
		return strconv.Itoa(v.Major)
	}
	return fmt.Sprintf("%d.%d", v.Major, v.Minor)
}

func mustVersion(s string) Version { v, _ := ParseVersion(s); return v }

// Needed reports whether an export of version v must go through this package.
func Needed(v Version) bool { return v.Less(mustVersion(Final)) }

// migration is one step: on the whole export (export steps see every flow, as 9, 11.0 and
// 11.10 need) or on each flow.
type migration struct {
	export func(m *migrator, export map[string]any) error
	flow   func(m *migrator, f map[string]any) (map[string]any, error)
}

// steps are the migrations by the version they bring exports to; versions without one only
// change the version number.
var steps = map[string]migration{}

func register(version string, m migration) { steps[version] = m }

// migrator carries one export's migration state.
type migrator struct {
	newUUID func() string
}

// flattenNested flattens flows still nested under "definition" in an export that says it is
// at version 7 or later (RapidPro wrote some), so the later steps see their nodes instead of
// leaving a flow without any.
func (m *migrator) flattenNested(export map[string]any) {
	flows := list(export["flows"])
	for i, f := range flows {
		if fm := obj(f); fm != nil && obj(fm["definition"]) != nil {
			flows[i], _ = m.flatten(fm)
		}
	}
}

// MigrateExport brings an export document (with "version" and "flows") from its version to
// Final, in place, setting each flow's "version" as RapidPro does. An export older than
// Earliest, or one whose version can't be read, is refused with the version seen.
func MigrateExport(export map[string]any, newUUID func() string) error {
	raw, ok := export["version"]
	if !ok {
		return fmt.Errorf("export has no version")
	}
	from, err := ParseVersion(raw)
	if err != nil {
		return fmt.Errorf("unsupported export version: %w", err)
	}
	if from.Less(mustVersion(Earliest)) {
		return fmt.Errorf("unsupported export version %s (RapidPro imports %s and later)", from, Earliest)
	}
	m := &migrator{newUUID: newUUID}
	for _, vs := range versions {
		v := mustVersion(vs)
		if !from.Less(v) {
			continue
		}
		if !v.Less(mustVersion("8")) {
			m.flattenNested(export)
		}
		step := steps[vs]
		switch {
		case step.export != nil:
			if err := step.export(m, export); err != nil {
				return fmt.Errorf("migrating export to version %s: %w", vs, err)
			}
		case step.flow != nil:
			flows := list(export["flows"])
			for i, f := range flows {
				fm, ok := f.(map[string]any)
				if !ok {
					return fmt.Errorf("migrating export to version %s: flows[%d] is not an object", vs, i)
				}
				out, err := step.flow(m, fm)
				if err != nil {
					return fmt.Errorf("migrating flows[%d] to version %s: %w", i, vs, err)
				}
				flows[i] = out
			}
			export["flows"] = flows
		}
		for _, f := range list(export["flows"]) {
			if fm, ok := f.(map[string]any); ok {
				fm["version"] = vs
			}
		}
	}
	return nil
}
