package contactql

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Field is a contact field a query can name.
type Field struct {
	UUID string    `json:"uuid,omitempty"`
	Key  string    `json:"key"`
	Name string    `json:"name"`
	Type ValueType `json:"type"`
}

// Group is a contact group a query can name (group = "Name"). Query is set for query-based
// groups.
type Group struct {
	UUID  string `json:"uuid"`
	Name  string `json:"name"`
	Query string `json:"query,omitempty"`
}

// Flow is a flow a query can name (flow = "Name", history = "Name").
type Flow struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// Resolver looks up the assets a query names. Each method returns nil when there is no such
// asset; group and flow names match without regard to case.
type Resolver interface {
	ResolveField(key string) *Field
	ResolveGroup(name string) *Group
	ResolveFlow(name string) *Flow
}

// Assets is a Resolver over fixed lists, such as the assets of a flow file.
type Assets struct {
	Fields []*Field `json:"fields"`
	Groups []*Group `json:"groups"`
	Flows  []*Flow  `json:"flows"`
}

var _ Resolver = (*Assets)(nil)

// ReadAssets reads the fields, groups and flows of an assets document (the static source
// format of flows.md §2); other keys are ignored.
func ReadAssets(data []byte) (*Assets, error) {
	a := &Assets{}
	if err := json.Unmarshal(data, a); err != nil {
		return nil, fmt.Errorf("read assets: %w", err)
	}
	for _, f := range a.Fields {
		if f == nil || f.Key == "" {
			return nil, fmt.Errorf("read assets: field without a key")
		}
		if !f.Type.Valid() {
			return nil, fmt.Errorf("read assets: field %s has unknown type %q", f.Key, f.Type)
		}
	}
	return a, nil
}

// ResolveField returns the field with the key, or nil.
func (a *Assets) ResolveField(key string) *Field {
	if a == nil {
		return nil
	}
	for _, f := range a.Fields {
		if f != nil && f.Key == key {
			return f
		}
	}
	return nil
}

// ResolveGroup returns the group with the name (any case), or nil.
func (a *Assets) ResolveGroup(name string) *Group {
	if a == nil {
		return nil
	}
	for _, g := range a.Groups {
		if g != nil && strings.EqualFold(g.Name, name) {
			return g
		}
	}
	return nil
}

// ResolveFlow returns the flow with the name (any case), or nil.
func (a *Assets) ResolveFlow(name string) *Flow {
	if a == nil {
		return nil
	}
	for _, f := range a.Flows {
		if f != nil && strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}
