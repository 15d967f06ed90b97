package cht

import (
	"encoding/json"
	"strings"
	"sync"
)

// Form is a JSON form declared in app_settings.forms (§2.4), with its fields in declaration
// order: CHT builds records and lists missing fields in that order.
type Form struct {
	Code string
	// MetaCode is meta.code, which SMS parsing strips from the start of a message.
	MetaCode          string
	Fields            []FormField
	PublicForm        bool
	FacilityReference string
}

// FormField is one declared field of a JSON form.
type FormField struct {
	Key      string
	Type     string
	Required bool
	// HasList marks a field with an SMS value list; such fields skip type validation.
	HasList bool
	// Tiny and Short are the field's SMS labels (translated to their first or English text).
	Tiny  any
	Short any
	// List is the SMS value list, pairs of [value, label].
	List []any
}

// formsCache parses app_settings.forms once per settings version.
type formsCache struct {
	mu    sync.Mutex
	raw   string
	forms map[string]*Form
}

// lookup returns the form declared under code in the settings JSON raw, or nil.
func (c *formsCache) lookup(raw []byte, code string) *Form {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.forms == nil || c.raw != string(raw) {
		c.forms = parseForms(raw)
		c.raw = string(raw)
	}
	return c.forms[code]
}

func parseForms(raw []byte) map[string]*Form {
	out := map[string]*Form{}
	root, err := parseOrdered(raw)
	if err != nil {
		return out
	}
	ro, _ := root.(*object)
	if ro == nil {
		return out
	}
	fv, _ := ro.get("forms")
	forms, _ := fv.(*object)
	if forms == nil {
		return out
	}
	for _, code := range forms.keys {
		def, _ := forms.vals[code].(*object)
		if def == nil {
			continue
		}
		f := &Form{Code: code}
		if meta, ok := def.vals["meta"].(*object); ok {
			f.MetaCode, _ = meta.vals["code"].(string)
		}
		if v, _ := def.get("public_form"); v == true {
			f.PublicForm = true
		}
		if v, _ := def.get("facility_reference"); v != nil {
			f.FacilityReference, _ = v.(string)
		}
		fieldsV, _ := def.get("fields")
		fields, _ := fieldsV.(*object)
		if fields == nil {
			// CHT dereferences def.fields unguarded; a form without fields accepts none.
			out[code] = f
			continue
		}
		for _, key := range fields.keys {
			ff := FormField{Key: key}
			if fd, ok := fields.vals[key].(*object); ok {
				if t, ok := fd.vals["type"].(string); ok {
					ff.Type = t
				}
				ff.Required = truthy(fd.vals["required"])
				if l, ok := fd.vals["list"]; ok && truthy(l) {
					ff.HasList = true
					ff.List, _ = l.([]any)
				}
				if lv, ok := fd.vals["labels"].(*object); ok {
					ff.Tiny, ff.Short = lv.vals["tiny"], lv.vals["short"]
				}
			}
			f.Fields = append(f.Fields, ff)
		}
		out[code] = f
	}
	return out
}

// field returns the declared field named key (exact match), or nil.
func (f *Form) field(key string) *FormField {
	for i := range f.Fields {
		if f.Fields[i].Key == key {
			return &f.Fields[i]
		}
	}
	return nil
}

// translateLabel resolves an SMS label as CHT's config.translate does for the plain cases:
// a string is itself; an object of locale → text gives the locale's text, else English,
// else any text it has.
func translateLabel(label any, locale string) string {
	switch t := label.(type) {
	case string:
		return t
	case *object:
		for _, l := range []string{locale, "en"} {
			if s, ok := t.vals[l].(string); ok {
				return s
			}
		}
		for _, k := range t.keys {
			if s, ok := t.vals[k].(string); ok && k != "translation_key" {
				return s
			}
		}
	}
	return ""
}

// isInteger tells whether v is a JSON number with an integral value (JavaScript's
// Number.isInteger).
func isInteger(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	if !strings.ContainsAny(n.String(), ".eE") {
		return true
	}
	f, err := n.Float64()
	return err == nil && f == float64(int64(f))
}
