package outbound

import (
	"context"
	"errors"
	"fmt"

	"careflow/store"
)

// Hydrator turns a stored document into what relevant_to and mapping see (CHT hydrates
// lineage before transitions run, §1.3).
type Hydrator interface {
	Hydrate(ctx context.Context, d store.Doc) (Value, error)
}

// DocReader reads documents for hydration.
type DocReader interface {
	GetDocs(ctx context.Context, ids []string) ([]store.Doc, error)
}

// ErrBadDocument is a stored document that cannot be read as JSON (evaluating it again will not
// help).
var ErrBadDocument = errors.New("document is not valid JSON")

// LineageHydrator hydrates as CHT's lineage library does for the cases outbound configs use:
// a report's contact becomes the full submitter with its full parent chain; a contact's parent
// chain becomes full documents; the primary contact of the document and of every ancestor
// becomes the full contact as stored; a report whose patient_uuid/patient_id or place_id
// names a document by _id gets it as patient/place. Missing ancestors stay minified.
// Short-code (patient_id) lookups through contacts_by_reference are not done.
type LineageHydrator struct {
	Docs DocReader
}

// Hydrate implements Hydrator.
func (h LineageHydrator) Hydrate(ctx context.Context, d store.Doc) (Value, error) {
	v, err := ParseJSON(d.JSON())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadDocument, err)
	}
	root, ok := v.(*Object)
	if !ok {
		return v, nil
	}
	isReport := member(root, "type") == "data_record"
	// The ids to fetch: the lineage chain(s) and subjects, then their primary contacts.
	want := map[string]bool{}
	chain := func(start Value) {
		for n := start; n != Undefined && n != nil; n = member(n, "parent") {
			if id, ok := member(n, "_id").(string); ok && id != "" {
				want[id] = true
			}
		}
	}
	var subjects []string
	if isReport {
		chain(member(root, "contact"))
		fields := member(root, "fields")
		for _, k := range [][2]Value{{member(fields, "patient_uuid"), member(fields, "patient_id")}, {member(root, "patient_uuid"), member(root, "patient_id")}, {member(fields, "place_id"), member(root, "place_id")}} {
			for _, x := range k {
				if id, ok := x.(string); ok && id != "" {
					want[id] = true
					subjects = append(subjects, id)
				}
			}
		}
	} else {
		chain(member(root, "parent"))
	}
	byID, err := h.fetch(ctx, want)
	if err != nil {
		return nil, err
	}
	for _, s := range subjects {
		if d, ok := byID[s]; ok {
			chain(member(d, "parent"))
		}
	}
	contacts := map[string]bool{}
	if c, ok := member(root, "contact").(*Object); ok && !isReport {
		if id, ok := member(c, "_id").(string); ok {
			contacts[id] = true
		}
	}
	for _, d := range byID {
		if id, ok := member(member(d, "contact"), "_id").(string); ok {
			contacts[id] = true
		}
	}
	for id := range want {
		contacts[id] = true
	}
	more, err := h.fetch(ctx, contacts)
	if err != nil {
		return nil, err
	}
	for id, d := range more {
		byID[id] = d
	}
	lineage := func(minified Value) Value { return h.lineage(minified, byID, 0) }
	if isReport {
		if c := member(root, "contact"); c != Undefined {
			root.Set("contact", lineage(c))
		}
		fields := member(root, "fields")
		if id, ok := firstString(member(fields, "patient_uuid"), member(fields, "patient_id"), member(root, "patient_uuid"), member(root, "patient_id")); ok {
			if _, found := byID[id]; found {
				root.Set("patient", lineage(idOnly(id)))
			}
		}
		if id, ok := firstString(member(fields, "place_id"), member(root, "place_id")); ok {
			if _, found := byID[id]; found {
				root.Set("place", lineage(idOnly(id)))
			}
		}
	} else {
		if p := member(root, "parent"); p != Undefined && p != nil {
			root.Set("parent", lineage(p))
		}
		if c, ok := member(root, "contact").(*Object); ok {
			if full, ok := byID[jsString(member(c, "_id"))]; ok {
				root.Set("contact", copyObject(full))
			}
		}
	}
	return root, nil
}

func idOnly(id string) *Object {
	o := NewObject()
	o.Set("_id", id)
	return o
}

func firstString(vs ...Value) (string, bool) {
	for _, v := range vs {
		if s, ok := v.(string); ok && s != "" {
			return s, true
		}
	}
	return "", false
}

// lineage replaces a minified {_id, parent:{…}} node by the full document, recursively, with
// each level's primary contact made full.
func (h LineageHydrator) lineage(minified Value, byID map[string]*Object, depth int) Value {
	if depth > 32 {
		return minified
	}
	id, _ := member(minified, "_id").(string)
	full, ok := byID[id]
	var node *Object
	if ok {
		node = copyObject(full)
	} else if m, isObj := minified.(*Object); isObj {
		node = copyObject(m)
	} else {
		return minified
	}
	if p := member(minified, "parent"); p != Undefined && p != nil {
		node.Set("parent", h.lineage(p, byID, depth+1))
	} else if p := member(node, "parent"); p != Undefined && p != nil {
		node.Set("parent", h.lineage(p, byID, depth+1))
	}
	if c, ok := member(node, "contact").(*Object); ok {
		if fc, ok := byID[jsString(member(c, "_id"))]; ok {
			node.Set("contact", copyObject(fc))
		}
	}
	return node
}

func (h LineageHydrator) fetch(ctx context.Context, ids map[string]bool) (map[string]*Object, error) {
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	out := map[string]*Object{}
	if len(list) == 0 || h.Docs == nil {
		return out, nil
	}
	docs, err := h.Docs.GetDocs(ctx, list)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if v, err := ParseJSON(d.JSON()); err == nil {
			if o, ok := v.(*Object); ok {
				out[d.ID] = o
			}
		}
	}
	return out, nil
}

// copyObject is a shallow copy, so setting parent/contact on it leaves the cached doc alone.
func copyObject(o *Object) *Object {
	c := &Object{keys: append([]string(nil), o.keys...), vals: make(map[string]Value, len(o.vals))}
	for k, v := range o.vals {
		c.vals[k] = v
	}
	return c
}
