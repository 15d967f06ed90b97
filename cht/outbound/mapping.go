package outbound

import (
	"errors"
	"fmt"
)

// MappingError is a failure to build a payload; its text is CHT's.
type MappingError struct {
	Msg   string
	Cause error // the expression's failure, when there is one
}

func (e *MappingError) Error() string { return e.Msg }
func (e *MappingError) Unwrap() error { return e.Cause }

// BuildPayload maps doc (hydrated) through the config's mapping as CHT's outbound.js does
// (§1.4): entries in key order, a string is a required path, an object has expr or path and
// optional; path lookups use object-path on {doc}; the first error aborts the payload.
func BuildPayload(sess *Session, c Config, doc Value) (*Object, error) {
	mapping := member(c.Raw, "mapping")
	m, ok := mapping.(*Object)
	if !ok {
		if mapping == nil || mapping == Undefined {
			return nil, &MappingError{Msg: "Cannot convert undefined or null to object"}
		}
		return nil, &MappingError{Msg: "mapping must be an object"}
	}
	docID := jsString(member(doc, "_id"))
	root := NewObject()
	root.Set("doc", doc)
	payload := NewObject()
	for _, dest := range m.keys {
		src := m.vals[dest]
		var path, expr Value = Undefined, Undefined
		required := true
		switch t := src.(type) {
		case string:
			path = t
		case *Object:
			path, expr = member(t, "path"), member(t, "expr")
			required = !truthy(member(t, "optional"))
		case nil:
			return nil, &MappingError{Msg: "Cannot read properties of null (reading 'path')"}
		}
		where := func() string { return c.Name + "/" + dest } // for error texts only
		var val Value
		switch {
		case truthy(expr):
			src, ok := expr.(string)
			if !ok {
				return nil, &MappingError{Msg: fmt.Sprintf("Mapping error for '%s' JS error on source document: '%s': TypeError: expr must be a string", where(), docID)}
			}
			v, err := sess.Value(src)
			if err != nil {
				var je *jsError
				if !errors.As(err, &je) && !errors.Is(err, ErrInterrupted) {
					return nil, err
				}
				return nil, &MappingError{Msg: fmt.Sprintf("Mapping error for '%s' JS error on source document: '%s': %s", where(), docID, err), Cause: err}
			}
			if v == Undefined && required {
				return nil, &MappingError{Msg: fmt.Sprintf("Mapping error for '%s' on source document '%s': expr evaluated to undefined", where(), docID)}
			}
			val = v
		case truthy(path):
			p := jsString(path)
			v, found := PathGet(root, p)
			if !found {
				if required {
					return nil, &MappingError{Msg: fmt.Sprintf("Mapping error for '%s' on source document '%s': cannot find '%s' on source document", where(), docID, p)}
				}
				v = Undefined
			}
			val = v
		default:
			return nil, &MappingError{Msg: fmt.Sprintf("Mapping error for '%s' either 'expr' or 'path' is required: '%s'", where(), docID)}
		}
		if val == Undefined {
			continue
		}
		if err := PathSet(payload, dest, val); err != nil {
			return nil, &MappingError{Msg: "TypeError: " + err.Error()}
		}
	}
	return payload, nil
}

// AlreadySent is CHT's dedupe test: the last completed_tasks entry of the infodoc for this
// push (type "outbound", same name) carries the same hash.
func AlreadySent(info Value, name, hash string) bool {
	tasks, ok := member(info, "completed_tasks").(*Array)
	if !ok {
		return false
	}
	for i := len(tasks.Elems) - 1; i >= 0; i-- {
		t := tasks.Elems[i]
		if member(t, "type") == "outbound" && member(t, "name") == name {
			h, ok := member(t, "hash").(string)
			return ok && h == hash
		}
	}
	return false
}
