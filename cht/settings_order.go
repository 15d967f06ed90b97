package cht

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
)

// JSON forms' fields are ordered: CHT builds a record's fields and lists missing fields in
// declaration order. Settings are kept as decoded maps, which forget order, so careflow
// writes each form's fields in the order they were declared: a validator swaps each
// forms.<code>.fields map for an ordered view just before the settings are encoded, and a
// change listener swaps the plain map back once they are saved. The declaration order comes
// from the update's own body (see UpdateSettings) and from the stored settings.

type settingsPatchKey struct{}

type settingsPatch struct {
	body []byte
	mode MergeMode
}

// UpdateSettings applies an update as Settings.Update does, keeping the declaration order of
// each JSON form's fields as given in body.
func UpdateSettings(ctx context.Context, s *Settings, body []byte, mode MergeMode) (bool, error) {
	ctx = context.WithValue(ctx, settingsPatchKey{}, settingsPatch{body: body, mode: mode})
	return s.Update(ctx, body, mode)
}

// KeepFormFieldOrder installs the ordering on s; the cht module calls it once.
func KeepFormFieldOrder(s *Settings) {
	s.AddValidator(func(ctx context.Context, next map[string]any) error {
		patch, _ := ctx.Value(settingsPatchKey{}).(settingsPatch)
		cur, err := s.Raw(ctx)
		if err != nil {
			return err
		}
		forms, _ := next["forms"].(map[string]any)
		for code, def := range forms {
			d, ok := def.(map[string]any)
			if !ok {
				continue
			}
			fields, ok := d["fields"].(map[string]any)
			if !ok {
				continue
			}
			given, stored := fieldOrder(patch.body, code), fieldOrder(cur, code)
			var order []string
			if patch.mode == MergeDeep {
				order = append(stored, given...)
			} else {
				order = append(given, stored...)
			}
			d["fields"] = orderedFields{keys: completeOrder(order, fields), vals: fields}
		}
		return nil
	})
	s.OnChange(func(next map[string]any) {
		forms, _ := next["forms"].(map[string]any)
		for _, def := range forms {
			if d, ok := def.(map[string]any); ok {
				if of, ok := d["fields"].(orderedFields); ok {
					d["fields"] = of.vals
				}
			}
		}
	})
}

// orderedFields encodes a fields map with its keys in a given order.
type orderedFields struct {
	keys []string
	vals map[string]any
}

// MarshalJSON writes the fields in order.
func (o orderedFields) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// fieldOrder lists the field keys of form code in settings JSON raw, in order.
func fieldOrder(raw []byte, code string) []string {
	if len(raw) == 0 {
		return nil
	}
	root, err := parseOrdered(raw)
	if err != nil {
		return nil
	}
	o, _ := root.(*object)
	for _, step := range []string{"forms", code, "fields"} {
		if o == nil {
			return nil
		}
		o, _ = o.vals[step].(*object)
	}
	if o == nil {
		return nil
	}
	return o.keys
}

// completeOrder keeps the first occurrence of each key of order present in fields, then adds
// the remaining keys of fields sorted.
func completeOrder(order []string, fields map[string]any) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range order {
		if _, ok := fields[k]; ok && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	var rest []string
	for k := range fields {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
