package cht

import (
	"context"
	"errors"

	"careflow/store"
)

// Contacts and reports keep their lineage minified (§6): "parent" is the chain of ancestor ids,
// {"_id":"clinic","parent":{"_id":"hc","parent":{"_id":"dh"}}}. Writers minify; readers hydrate.

// maxLineageDepth stops a circular or absurdly deep lineage.
const maxLineageDepth = 64

// minifiedLineage returns the minified reference to doc: its id, then its own stored
// (already minified) parent chain.
func minifiedLineage(doc *object) *object {
	out := newObject()
	out.set("_id", doc.vals["_id"])
	if p, ok := doc.vals["parent"].(*object); ok {
		if m := minifyRef(p, 0); m != nil {
			out.set("parent", m)
		}
	}
	return out
}

// minifyRef reduces a parent reference (hydrated or not) to ids only.
func minifyRef(ref *object, depth int) *object {
	id, ok := ref.vals["_id"]
	if !ok || depth > maxLineageDepth {
		return nil
	}
	out := newObject()
	out.set("_id", id)
	if p, ok := ref.vals["parent"].(*object); ok {
		if m := minifyRef(p, depth+1); m != nil {
			out.set("parent", m)
		}
	}
	return out
}

// lineageIDs lists the ancestor ids of a stored doc, nearest first.
func lineageIDs(doc *object) []string {
	var ids []string
	p, _ := doc.vals["parent"].(*object)
	for p != nil && len(ids) < maxLineageDepth {
		id, ok := p.vals["_id"].(string)
		if !ok || id == "" {
			break
		}
		ids = append(ids, id)
		p, _ = p.vals["parent"].(*object)
	}
	return ids
}

// loadDoc reads a live document as an ordered object with _id and _rev first.
func loadDoc(ctx context.Context, st store.DocStore, id string) (*object, error) {
	d, err := st.GetDoc(ctx, id)
	if err != nil {
		return nil, err
	}
	return docObject(d)
}

func docObject(d store.Doc) (*object, error) {
	v, err := parseOrdered(d.JSON())
	if err != nil {
		return nil, err
	}
	o, ok := v.(*object)
	if !ok {
		return nil, errors.New("stored document is not an object")
	}
	return o, nil
}

// loadDocs reads the live documents among ids, keyed by id.
func loadDocs(ctx context.Context, st store.DocStore, ids []string) (map[string]*object, error) {
	out := map[string]*object{}
	if len(ids) == 0 {
		return out, nil
	}
	docs, err := st.GetDocs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		o, err := docObject(d)
		if err != nil {
			return nil, err
		}
		out[d.ID] = o
	}
	return out, nil
}

// hydrate replaces, in docs (contacts as stored), each parent by the full ancestor (whose own
// parent is hydrated in turn, a missing ancestor staying a bare {_id}), the primary contact of
// the doc and of every ancestor by the contact's stored document, and each linked_docs entry
// by the linked document (CHT's lineage hydration, §3.4).
func hydrate(ctx context.Context, st store.DocStore, docs []*object) error {
	need := map[string]bool{}
	for _, d := range docs {
		for _, id := range lineageIDs(d) {
			need[id] = true
		}
	}
	ancestors, err := loadDocs(ctx, st, keys(need))
	if err != nil {
		return err
	}
	contactIDs := map[string]bool{}
	addContact := func(o *object) {
		if c, ok := o.vals["contact"].(*object); ok {
			if id, ok := c.vals["_id"].(string); ok && id != "" {
				contactIDs[id] = true
			}
		}
	}
	for _, d := range docs {
		addContact(d)
		if ld, ok := d.vals["linked_docs"].(*object); ok {
			for _, k := range ld.keys {
				if id := linkedID(ld.vals[k]); id != "" {
					contactIDs[id] = true
				}
			}
		}
	}
	for _, a := range ancestors {
		addContact(a)
	}
	contacts, err := loadDocs(ctx, st, keys(contactIDs))
	if err != nil {
		return err
	}
	fillContact := func(o *object) *object {
		c, ok := o.vals["contact"].(*object)
		if !ok {
			return o
		}
		id, _ := c.vals["_id"].(string)
		full, found := contacts[id]
		if !found {
			return o
		}
		cp := o.clone()
		cp.set("contact", full)
		return cp
	}
	for _, d := range docs {
		ids := lineageIDs(d)
		var chain *object
		for i := len(ids) - 1; i >= 0; i-- {
			var level *object
			if a, ok := ancestors[ids[i]]; ok {
				level = fillContact(a)
			} else {
				level = newObject()
				level.set("_id", ids[i])
			}
			if chain != nil {
				level = level.clone()
				level.set("parent", chain)
			}
			chain = level
		}
		if chain != nil {
			d.set("parent", chain)
		}
		if c, ok := d.vals["contact"].(*object); ok {
			id, _ := c.vals["_id"].(string)
			if full, found := contacts[id]; found {
				d.set("contact", full)
			}
		}
		if ld, ok := d.vals["linked_docs"].(*object); ok {
			out := newObject()
			for _, k := range ld.keys {
				if full, found := contacts[linkedID(ld.vals[k])]; found {
					out.set(k, full)
				} else {
					out.set(k, ld.vals[k])
				}
			}
			d.set("linked_docs", out)
		}
	}
	return nil
}

// linkedID reads a linked_docs entry: an id string or an object with _id.
func linkedID(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case *object:
		id, _ := t.vals["_id"].(string)
		return id
	}
	return ""
}

func (o *object) clone() *object {
	cp := &object{keys: append([]string(nil), o.keys...), vals: make(map[string]any, len(o.vals))}
	for k, v := range o.vals {
		cp.vals[k] = v
	}
	return cp
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
