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

// RefFinder is a DocReader that can also find contacts by short code (store.DocStore is one).
type RefFinder interface {
	FindDocs(ctx context.Context, q store.DocQuery) ([]store.Doc, error)
}

// ErrBadDocument is a stored document that cannot be read as JSON (evaluating it again will not
// help).
var ErrBadDocument = errors.New("document is not valid JSON")

// LineageHydrator hydrates as CHT's lineage library does for the cases outbound configs use:
// a report's contact becomes the full submitter with its full parent chain; a contact's parent
// chain becomes full documents; the primary contact of the document and of every ancestor
// becomes the full contact as stored; a report whose patient_uuid/patient_id or place_id
// names a contact gets it as patient/place. Missing ancestors stay minified.
//
// A subject value is first looked up as a short code (a contact's patient_id or place_id,
// CHT's contacts_by_reference) when Docs can do that (RefFinder); only when no contact has that
// short code is it taken as an _id, which is the order CHT's lineage library uses.
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
	refs := map[string]string{} // subject value -> _id of the contact with that short code
	if isReport {
		chain(member(root, "contact"))
		fields := member(root, "fields")
		for _, k := range [][2]Value{{member(fields, "patient_uuid"), member(fields, "patient_id")}, {member(root, "patient_uuid"), member(root, "patient_id")}, {member(fields, "place_id"), member(root, "place_id")}} {
			for _, x := range k {
				if v, ok := x.(string); ok && v != "" {
					id, err := h.subjectID(ctx, v, refs)
					if err != nil {
						return nil, err
					}
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
		if v, ok := firstString(member(fields, "patient_uuid"), member(fields, "patient_id"), member(root, "patient_uuid"), member(root, "patient_id")); ok {
			id := v
			if ref := refs[v]; ref != "" {
				id = ref
			}
			if _, found := byID[id]; found {
				root.Set("patient", lineage(idOnly(id)))
			}
		}
		if v, ok := firstString(member(fields, "place_id"), member(root, "place_id")); ok {
			id := v
			if ref := refs[v]; ref != "" {
				id = ref
			}
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

// subjectID resolves a report's subject value: the _id of the first contact (by _id) whose
// patient_id or place_id is v, else v itself. Found short codes are remembered in refs.
func (h LineageHydrator) subjectID(ctx context.Context, v string, refs map[string]string) (string, error) {
	if id, ok := refs[v]; ok {
		if id == "" {
			return v, nil
		}
		return id, nil
	}
	finder, ok := h.Docs.(RefFinder)
	if !ok {
		return v, nil
	}
	found, err := finder.FindDocs(ctx, store.DocQuery{ShortCode: v, Limit: 1})
	if err != nil {
		return "", fmt.Errorf("hydrate: short code %q: %w", v, err)
	}
	if len(found) == 0 {
		refs[v] = ""
		return v, nil
	}
	refs[v] = found[0].ID
	return found[0].ID, nil
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
