package typereg

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// Registry maps wire type names to constructors of empty values of T, which is usually an
// interface whose implementations are pointers to structs.
type Registry[T any] struct {
	what string
	news map[string]func() T
}

// New returns an empty registry. what names the family in the panic on a duplicate
// registration, e.g. "event: type".
func New[T any](what string) *Registry[T] {
	return &Registry[T]{what: what, news: map[string]func() T{}}
}

// Register adds a type under name; newFn returns an empty value (a pointer) to decode into.
// Registering a name twice is a programmer error and panics.
func (r *Registry[T]) Register(name string, newFn func() T) {
	if _, dup := r.news[name]; dup {
		panic(r.what + " registered twice: " + name)
	}
	r.news[name] = newFn
}

// Names returns the registered names, sorted.
func (r *Registry[T]) Names() []string {
	names := make([]string, 0, len(r.news))
	for n := range r.news {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

var errTypeRequired = errors.New("field 'type' is required")

// Read decodes data, a JSON object, into a new value of the type its "type" member names.
func (r *Registry[T]) Read(data []byte) (T, error) {
	var zero T
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return zero, err
	}
	if head.Type == "" {
		return zero, errTypeRequired
	}
	newFn := r.news[head.Type]
	if newFn == nil {
		return zero, fmt.Errorf("unknown type: '%s'", head.Type)
	}
	v := newFn()
	if err := json.Unmarshal(data, v); err != nil {
		return zero, err
	}
	return v, nil
}
