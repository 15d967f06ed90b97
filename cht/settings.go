package cht

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

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

// InvalidSettingsError is a validator's rejection: the caller's mistake, answered with a 400.
type InvalidSettingsError struct {
	Msg string
}

func (e *InvalidSettingsError) Error() string { return e.Msg }

// Settings is the app settings service: the one place settings are read and changed. Reads
// come from an in-memory copy refreshed on every change this node makes and re-read from the
// store when another node has changed them (the store revision differs).
type Settings struct {
	store store.SettingsStore

	mu         sync.RWMutex
	validators []SettingsValidator
	fillers    []func(settings map[string]any)
	listeners  []func(settings map[string]any)
	cur        map[string]any
	raw        json.RawMessage
	rev        string
}

// NewSettings returns the settings service over s.
func NewSettings(s store.SettingsStore) *Settings { return &Settings{store: s} }

// AddValidator registers a check run on every proposed update.
func (s *Settings) AddValidator(v SettingsValidator) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.validators = append(s.validators, v)
}

// AddFiller registers a function that completes proposed settings before validation (CHT fills
// missing permissions with its defaults this way).
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
	m, _, err := s.load(ctx)
	return m, err
}

// Raw returns the stored settings JSON exactly as saved ("{}" before any were).
func (s *Settings) Raw(ctx context.Context) (json.RawMessage, error) {
	_, raw, err := s.load(ctx)
	return raw, err
}

func (s *Settings) load(ctx context.Context) (map[string]any, json.RawMessage, error) {
	st, err := s.store.GetSettings(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return map[string]any{}, json.RawMessage("{}"), nil
	}
	if err != nil {
		return nil, nil, err
	}
	s.mu.RLock()
	if s.rev == st.Rev && s.cur != nil {
		defer s.mu.RUnlock()
		return s.cur, s.raw, nil
	}
	s.mu.RUnlock()
	m, err := decodeObject(st.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("stored settings: %w", err)
	}
	s.mu.Lock()
	s.cur, s.raw, s.rev = m, st.Body, st.Rev
	s.mu.Unlock()
	return m, st.Body, nil
}

// Update merges body into the settings as mode says, fills, validates and saves them. updated
// is false when the result is identical to what is stored (nothing is written). A body that
// is not a JSON object, or that a validator rejects, returns *InvalidSettingsError.
func (s *Settings) Update(ctx context.Context, body []byte, mode MergeMode) (updated bool, err error) {
	patch, err := decodeObject(body)
	if err != nil {
		return false, &InvalidSettingsError{Msg: "settings must be a JSON object: " + err.Error()}
	}
	for attempt := 0; ; attempt++ {
		st, err := s.store.GetSettings(ctx)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return false, err
		}
		cur := map[string]any{}
		if err == nil {
			if cur, err = decodeObject(st.Body); err != nil {
				return false, fmt.Errorf("stored settings: %w", err)
			}
		}
		next := mergeSettings(cur, patch, mode)
		s.mu.RLock()
		fillers, validators, listeners := s.fillers, s.validators, s.listeners
		s.mu.RUnlock()
		for _, f := range fillers {
			f(next)
		}
		for _, v := range validators {
			if err := v(ctx, next); err != nil {
				return false, err
			}
		}
		out, err := json.Marshal(next)
		if err != nil {
			return false, err
		}
		if bytes.Equal(out, st.Body) {
			return false, nil
		}
		rev, err := s.store.PutSettings(ctx, out, st.Rev)
		if errors.Is(err, store.ErrConflict) && attempt < 5 {
			continue // another writer got in between: merge onto theirs
		}
		if err != nil {
			return false, err
		}
		s.mu.Lock()
		s.cur, s.raw, s.rev = next, out, rev
		s.mu.Unlock()
		for _, l := range listeners {
			l(next)
		}
		return true, nil
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

func mergeSettings(cur, patch map[string]any, mode MergeMode) map[string]any {
	switch mode {
	case MergeOverwrite:
		return deepCopy(patch).(map[string]any)
	case MergeShallow:
		out := deepCopy(cur).(map[string]any)
		for k, v := range patch {
			out[k] = deepCopy(v)
		}
		return out
	default:
		return deepMerge(deepCopy(cur).(map[string]any), patch)
	}
}

func deepMerge(dst, src map[string]any) map[string]any {
	for k, v := range src {
		if sv, ok := v.(map[string]any); ok {
			if dv, ok := dst[k].(map[string]any); ok {
				dst[k] = deepMerge(dv, sv)
				continue
			}
		}
		dst[k] = deepCopy(v)
	}
	return dst
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = deepCopy(x)
		}
		return a
	default:
		return v
	}
}
