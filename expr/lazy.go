package expr

import "sync"

// Lazy is a value computed on first use, so the engine can expose expensive context objects
// (contact fields, run results, ...) without building them for every template. Lookups,
// rendering and conversions resolve it; the function runs at most once.
type Lazy struct {
	once sync.Once
	f    func() Value
	v    Value
}

// NewLazy returns a value computed by f when first needed.
func NewLazy(f func() Value) *Lazy { return &Lazy{f: f} }

// Value computes (once) and returns the underlying value.
func (l *Lazy) Value() Value {
	l.once.Do(func() { l.v = resolve(l.f()); l.f = nil })
	return l.v
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
