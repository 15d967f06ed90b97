package flow

import (
	"bytes"
	"encoding/json"
	"fmt"

	"careflow/flow/legacy"
	"careflow/flow/migrate"
)

// ReadConfig supplies what reading may need from outside. The zero value is usable.
type ReadConfig struct {
	// NewUUID returns fresh UUIDs for items that migrations and legacy conversion create. Nil
	// uses a deterministic generator seeded from the definition.
	NewUUID func() string
	// BaseMediaURL prefixes relative media paths in legacy definitions.
	BaseMediaURL string
	// LegacyExpressions migrates legacy (pre-13) templates to the current expression syntax.
	// Nil uses DefaultLegacyExpressions.
	LegacyExpressions legacy.ExprMigrator
}

// Read reads a flow definition in any supported spec version (or the legacy pre-13 format),
// migrating it to the current version and validating it.
func Read(data []byte) (*Flow, error) { return ReadConfig{}.Read(data) }

// Read reads a flow definition with this configuration; see the package documentation for the
// steps and the kind of errors each returns.
func (rc ReadConfig) Read(data []byte) (*Flow, error) {
	raw, err := rc.Migrate(data)
	if err != nil {
		return nil, err
	}
	return Decode(raw)
}

// Migrate brings a definition to the current spec version as JSON without decoding it into
// types: the size check, legacy conversion and spec migrations of Read.
func (rc ReadConfig) Migrate(data []byte) ([]byte, error) {
	return rc.MigrateTo(data, migrate.Current)
}

// MigrateTo is Migrate to a given (older) spec version, the target included.
func (rc ReadConfig) MigrateTo(data []byte, to migrate.Version) ([]byte, error) {
	f, err := migrate.Decode(data)
	if err != nil {
		return nil, err
	}
	if err := checkSize(f); err != nil {
		return nil, err
	}
	if _, herr := migrate.CheckHeader(f); herr != nil {
		if old, ok, err := pre11Definition(f); err != nil {
			return nil, err
		} else if ok {
			f = old
		}
		if legacy.IsLegacy(f) {
			if f, err = rc.convertLegacy(f); err != nil {
				return nil, fmt.Errorf("error migrating what appears to be a legacy definition: %w", err)
			}
		}
	}
	v, err := migrate.CheckHeader(f)
	if err != nil {
		return nil, fmt.Errorf("unable to read flow header: %w", err)
	}
	if v.Compare(migrate.Current) > 0 {
		return nil, fmt.Errorf("spec version %s is newer than this library (%s)", v, CurrentSpecVersion)
	}
	if v.Major < 13 {
		return nil, fmt.Errorf("spec version %s is too old to read", v)
	}
	if _, err := migrate.ToVersion(f, to, &migrate.Config{NewUUID: rc.NewUUID}); err != nil {
		return nil, err
	}
	return json.Marshal(f)
}

// checkSize rejects oversized definitions before the costlier migration steps.
func checkSize(f migrate.Flow) error {
	n := 0
	for _, key := range []string{"nodes", "action_sets", "rule_sets"} {
		if l, ok := f[key].([]any); ok {
			n += len(l)
		}
	}
	if n > MaxNodes {
		return fmt.Errorf("flow can't have more than %d nodes (has %d)", MaxNodes, n)
	}
	if ui, ok := f["_ui"]; ok && ui != nil {
		b, _ := json.Marshal(ui)
		if len(b) > MaxUIBytes {
			return fmt.Errorf("flow UI can't be larger than %d bytes (is %d)", MaxUIBytes, len(b))
		}
	}
	return nil
}

// DefaultLegacyExpressions is the legacy template migrator used when a ReadConfig names none.
// Nil leaves legacy templates unchanged.
var DefaultLegacyExpressions legacy.ExprMigrator

// convertLegacy converts a legacy definition to spec 13.0.0.
func (rc ReadConfig) convertLegacy(f migrate.Flow) (migrate.Flow, error) {
	cfg := legacy.Config{NewUUID: rc.NewUUID, BaseMediaURL: rc.BaseMediaURL, Expressions: rc.LegacyExpressions}
	if cfg.NewUUID == nil {
		cfg.NewUUID = migrate.SeededUUIDs(f)
	}
	if cfg.Expressions == nil {
		cfg.Expressions = DefaultLegacyExpressions
	}
	out, err := legacy.Convert(f, cfg)
	if err != nil {
		return nil, err
	}
	// round trip through JSON so numbers and nested values have the generic decoded shapes
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	return migrate.Decode(b)
}

type flowJSON struct {
	UUID               UUID              `json:"uuid"`
	Name               string            `json:"name"`
	SpecVersion        string            `json:"spec_version"`
	Language           string            `json:"language"`
	Type               Type              `json:"type"`
	Revision           int               `json:"revision"`
	ExpireAfterMinutes int               `json:"expire_after_minutes"`
	Localization       Localization      `json:"localization"`
	Nodes              []json.RawMessage `json:"nodes"`
	UI                 json.RawMessage   `json:"_ui"`
}

// Decode reads a definition that is already at the current spec version: it decodes nodes,
// actions and routers (field-level errors first) and then validates the whole flow.
func Decode(data []byte) (*Flow, error) {
	var e flowJSON
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, err
	}
	f := &Flow{
		UUID: e.UUID, Name: e.Name, SpecVersion: CurrentSpecVersion, Language: e.Language,
		Type: e.Type, Revision: e.Revision, ExpireAfterMinutes: e.ExpireAfterMinutes,
		Localization: e.Localization, Nodes: make([]*Node, len(e.Nodes)),
	}
	if len(e.UI) > 0 && !bytes.Equal(e.UI, []byte("null")) {
		f.UI = e.UI
	}
	for i, raw := range e.Nodes {
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		n, err := decodeNode(raw)
		if err != nil {
			return nil, err
		}
		f.Nodes[i] = n
	}

	c := &checker{}
	switch {
	case f.Language == "":
		c.fail("language", "is required")
	case !ValidLanguage(f.Language):
		c.fail("language", "is not a valid language code")
	}
	switch {
	case f.Type == "":
		c.fail("type", "is required")
	case !f.Type.Valid():
		c.fail("type", "is not a valid flow type")
	}
	for i, n := range f.Nodes {
		if n == nil {
			c.fail(idx("nodes", i), "is required")
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	if f.Localization == nil {
		f.Localization = Localization{}
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return f, nil
}
