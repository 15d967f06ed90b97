package cht

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"careflow/store"
)

// MergeMode is how a settings update combines with the stored settings (CHT's PUT
// /api/v1/settings query parameters).
type MergeMode int

const (
	// MergeDeep merges objects recursively; arrays and scalars are replaced (no parameter).
	MergeDeep MergeMode = iota
	// MergeShallow replaces each top-level key given and keeps the others (?replace=...).
	MergeShallow
	// MergeOverwrite replaces the settings wholesale (?overwrite=...).
	MergeOverwrite
)

// SettingsValidator checks proposed settings before they are saved; an error rejects the
// whole update (a 400 naming the problem) and nothing changes.
type SettingsValidator func(ctx context.Context, settings map[string]any) error

// SettingsWarner looks at proposed settings that will be saved and says what will not work
// yet (an outbound credential not set): the update goes through with these warnings.
type SettingsWarner func(ctx context.Context, settings map[string]any) []string

// InvalidSettingsError is a validator's rejection: the caller's mistake, answered with a 400.
type InvalidSettingsError struct {
	Msg string
}

func (e *InvalidSettingsError) Error() string { return e.Msg }

// SettingsTTL is how long Settings trusts its in-memory copy. Changes made through this node
// show at once; changes another node sharing the database makes show within this time, and
// the hot request paths (permission checks, records) do not read the settings row each time.
const SettingsTTL = time.Second

// Settings is the app settings service: the one place settings are read and changed. The
// settings are kept as JSON in the order their keys were given, as CHT (JavaScript) keeps
// them: merges keep existing keys in place and add new ones last, so, for example, a JSON
// form's fields stay in declaration order.
type Settings struct {
	store store.SettingsStore
	// Now is the clock for the copy's age.
	Now func() time.Time

	mu         sync.RWMutex
	validators []SettingsValidator
	warners    []SettingsWarner
	fillers    []func(settings map[string]any)
	listeners  []func(settings map[string]any)
	cur        map[string]any
	raw        json.RawMessage
	rev        string
	at         time.Time
	gen        uint64
}

// NewSettings returns the settings service over s.
func NewSettings(s store.SettingsStore) *Settings { return &Settings{store: s, Now: time.Now} }

// AddValidator registers a check run on every proposed update.
func (s *Settings) AddValidator(v SettingsValidator) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.validators = append(s.validators, v)
}

// AddWarner registers a check whose findings are reported with a saved update, not refused.
func (s *Settings) AddWarner(w SettingsWarner) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.warners = append(s.warners, w)
}

// AddFiller registers a function that completes proposed settings before validation (CHT fills
// missing permissions with its defaults this way). A filler may only add members; they are
// placed after the existing ones, in key order.
func (s *Settings) AddFiller(f func(settings map[string]any)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fillers = append(s.fillers, f)
}

// OnChange registers fn to be called with the new settings after each saved update.
func (s *Settings) OnChange(fn func(settings map[string]any)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners = append(s.listeners, fn)
}

// Get returns the current settings (an empty object before any were saved). The map is shared:
// callers must not modify it.
func (s *Settings) Get(ctx context.Context) (map[string]any, error) {
	m, _, err := s.Snapshot(ctx)
	return m, err
}

// Raw returns the stored settings JSON exactly as saved ("{}" before any were).
func (s *Settings) Raw(ctx context.Context) (json.RawMessage, error) {
	_, raw, err := s.Snapshot(ctx)
	return raw, err
}

// Snapshot returns the settings both decoded and as stored, from one read. The map is shared:
// callers must not modify it.
func (s *Settings) Snapshot(ctx context.Context) (map[string]any, json.RawMessage, error) {
	s.mu.RLock()
	if s.cur != nil && s.Now().Sub(s.at) < SettingsTTL {
		defer s.mu.RUnlock()
		return s.cur, s.raw, nil
	}
	gen := s.gen
	s.mu.RUnlock()
	st, err := s.store.GetSettings(ctx)
	if errors.Is(err, store.ErrNotFound) {
		st = store.Settings{Body: json.RawMessage("{}")}
	} else if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rev == st.Rev && s.cur != nil {
		s.at = s.Now()
		return s.cur, s.raw, nil
	}
	m, err := decodeObject(st.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("stored settings: %w", err)
	}
	if s.gen == gen { // no local change landed while reading: the copy is current
		s.cur, s.raw, s.rev, s.at = m, st.Body, st.Rev, s.Now()
	}
	return m, st.Body, nil
}

// Update merges body into the settings as mode says, fills, validates and saves them. updated
// is false when the result is identical to what is stored (nothing is written). A body that
// is not a JSON object, or that a validator rejects, returns *InvalidSettingsError.
func (s *Settings) Update(ctx context.Context, body []byte, mode MergeMode) (updated bool, err error) {
	updated, _, err = s.UpdateWarn(ctx, body, mode)
	return updated, err
}

// UpdateWarn is Update, also returning the warners' findings on the settings as saved (or as
// they already were, when nothing changed).
func (s *Settings) UpdateWarn(ctx context.Context, body []byte, mode MergeMode) (updated bool, warnings []string, err error) {
	parsed, err := parseOrdered(body)
	patch, ok := parsed.(*object)
	if err != nil || !ok {
		msg := "not an object"
		if err != nil {
			msg = err.Error()
		}
		return false, nil, &InvalidSettingsError{Msg: "settings must be a JSON object: " + msg}
	}
	for attempt := 0; ; attempt++ {
		st, err := s.store.GetSettings(ctx)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return false, nil, err
		}
		cur := newObject()
		if err == nil {
			v, perr := parseOrdered(st.Body)
			if cur, ok = v.(*object); perr != nil || !ok {
				return false, nil, fmt.Errorf("stored settings are not a JSON object")
			}
		}
		next := mergeOrdered(cur, patch, mode)
		s.mu.RLock()
		fillers, validators, listeners := s.fillers, s.validators, s.listeners
		s.mu.RUnlock()
		if len(fillers) > 0 {
			plain := plainValue(next).(map[string]any)
			for _, f := range fillers {
				f(plain)
			}
			next = mergeOrdered(next, orderedValue(plain).(*object), MergeDeep)
		}
		out, err := next.MarshalJSON()
		if err != nil {
			return false, nil, err
		}
		plain, err := decodeObject(out)
		if err != nil {
			return false, nil, err
		}
		for _, v := range validators {
			if err := v(ctx, plain); err != nil {
				return false, nil, err
			}
		}
		s.mu.RLock()
		warners := s.warners
		s.mu.RUnlock()
		warnings = nil // a retry after a conflict looks again
		for _, w := range warners {
			warnings = append(warnings, w(ctx, plain)...)
		}
		if bytes.Equal(out, st.Body) {
			return false, warnings, nil
		}
		rev, err := s.store.PutSettings(ctx, out, st.Rev)
		if errors.Is(err, store.ErrConflict) && attempt < 5 {
			continue // another writer got in between: merge onto theirs
		}
		if err != nil {
			return false, nil, err
		}
		s.mu.Lock()
		s.cur, s.raw, s.rev, s.at = plain, out, rev, s.Now()
		s.gen++
		s.mu.Unlock()
		for _, l := range listeners {
			l(plain)
		}
		return true, warnings, nil
	}
}

func decodeObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("null is not an object")
	}
	if dec.More() {
		return nil, errors.New("trailing data after the object")
	}
	return m, nil
}

// mergeOrdered combines patch into cur as mode says. Objects keep their members' places; new
// members go last. Arrays and scalars are replaced.
func mergeOrdered(cur, patch *object, mode MergeMode) *object {
	switch mode {
	case MergeOverwrite:
		return patch
	case MergeShallow:
		for _, k := range patch.keys {
			cur.set(k, patch.vals[k])
		}
		return cur
	default:
		for _, k := range patch.keys {
			pv := patch.vals[k]
			if po, ok := pv.(*object); ok {
				if co, ok := cur.vals[k].(*object); ok {
					cur.set(k, mergeOrdered(co, po, MergeDeep))
					continue
				}
			}
			cur.set(k, pv)
		}
		return cur
	}
}

// plainValue turns an ordered value into plain maps and slices.
func plainValue(v any) any {
	switch t := v.(type) {
	case *object:
		m := make(map[string]any, len(t.keys))
		for _, k := range t.keys {
			m[k] = plainValue(t.vals[k])
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = plainValue(x)
		}
		return a
	default:
		return v
	}
}

// orderedValue turns plain maps into ordered objects, their keys sorted.
func orderedValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		o := newObject()
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			o.set(k, orderedValue(t[k]))
		}
		return o
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = orderedValue(x)
		}
		return a
	default:
		return v
	}
}
