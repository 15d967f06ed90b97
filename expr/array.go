package expr

// Array is an ordered list of values.
type Array struct{ items []Value }

// NewArray returns an array of the given items (nil items are null).
func NewArray(items ...Value) *Array { return &Array{items: items} }

// Type returns TypeArray.
func (a *Array) Type() Type { return TypeArray }

// Describe returns "array".
func (a *Array) Describe() string { return "array" }

// Len returns the number of items.
func (a *Array) Len() int { return len(a.items) }

// Get returns item i (0 ≤ i < Len), resolving lazy items.
func (a *Array) Get(i int) Value {
	return resolve(a.items[i])
}

// Items returns the items, resolved. The slice is a copy.
func (a *Array) Items() []Value {
	out := make([]Value, len(a.items))
	for i := range a.items {
		out[i] = a.Get(i)
	}
	return out
}
