package expr

import (
	"sync"
	"sync/atomic"
)

// Lazy is a value computed on first use, so the engine can expose expensive context objects
// (contact fields, run results, ...) without building them for every template. Lookups,
// rendering and conversions resolve it; the function runs at most once.
type Lazy struct {
	done     atomic.Bool
	reusable bool
	mu       sync.Mutex
	f        func() Value
	v        Value
}

// NewLazy returns a value computed by f when first needed.
func NewLazy(f func() Value) *Lazy { return &Lazy{f: f} }

// NewReusableLazy is NewLazy for an f that reads live state rather than a snapshot: Reset
// makes the value pending again, so a context refreshed in place keeps the same value
// instead of making a new one each time what f reads changes.
func NewReusableLazy(f func() Value) *Lazy { return &Lazy{f: f, reusable: true} }

// Value computes (once) and returns the underlying value.
func (l *Lazy) Value() Value {
	if l.done.Load() {
		return l.v
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done.Load() {
		l.v = resolve(l.f())
		if !l.reusable {
			l.f = nil
		}
		l.done.Store(true)
	}
	return l.v
}

// Reset makes a value made by NewReusableLazy pending again: it is computed anew when next
// used. It reports false, doing nothing, for values made by NewLazy.
func (l *Lazy) Reset() bool {
	if !l.reusable {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done.Store(false)
	l.v = nil
	return true
}

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
