package expr

import (
	"sync"
	"sync/atomic"
)

// Lazy is a value computed on first use, so the engine can expose expensive context objects
// (contact fields, run results, ...) without building them for every template. Lookups,
// rendering and conversions resolve it; the function runs at most once.
type Lazy struct {
	done atomic.Bool
	mu   sync.Mutex
	f    func() Value
	v    Value
}

// NewLazy returns a value computed by f when first needed.
func NewLazy(f func() Value) *Lazy { return &Lazy{f: f} }

// Value computes (once) and returns the underlying value.
func (l *Lazy) Value() Value {
	if l.done.Load() {
		return l.v
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done.Load() {
		l.v = resolve(l.f())
		l.f = nil
		l.done.Store(true)
	}
	return l.v
}

// Pending reports whether the value hasn't been computed yet. A caller whose function reads
// live state (not a snapshot) may keep a pending value when that state changes instead of
// making a new one: computed later, it sees the state of that time either way.
func (l *Lazy) Pending() bool { return !l.done.Load() }

// Type returns the type of the underlying value.
func (l *Lazy) Type() Type { return TypeOf(l.Value()) }

// Describe describes the underlying value.
func (l *Lazy) Describe() string { return Describe(l.Value()) }

// resolve unwraps lazy values.
func resolve(v Value) Value {
	if l, ok := v.(*Lazy); ok {
		return l.Value()
	}
	return v
}

// Contextable is implemented by engine objects (contact, run, input, ...) that expose
// themselves to expressions. Context returns the object's properties and default (e.g. the
// contact's name); it is called at most once per ContextOf value, when a template first
// touches it.
type Contextable interface {
	Context(env *Environment) *Object
}

// ContextOf wraps an engine object as a lazy value: its Context is built on first use. A nil
// Contextable (including a typed nil pointer the caller checked) should be passed as nil
// instead, which is null.
func ContextOf(env *Environment, c Contextable) Value {
	if c == nil {
		return nil
	}
	return NewLazy(func() Value {
		if o := c.Context(env); o != nil {
			return o
		}
		return nil
	})
}
