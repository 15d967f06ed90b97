package flowtest

import "fmt"

// Rules widen a Comparer beyond definitions, for output that carries run-time values such as
// engine sessions and events. The zero Rules are the flow rules NewComparer uses.
type Rules struct {
	// Normalize, when set, rewrites both sides of two strings that differ before they are
	// compared again, invented UUIDs still being wildcards afterwards. The engine rules use it
	// to make timestamps that are not among the inputs wildcards.
	Normalize func(s string) string
	// NumbersByValue compares numbers by value (1.50 equals 1.5) rather than as written.
	NumbersByValue bool
	// PresenceOnly names members whose values differ from run to run (durations, sizes, ids
	// given by outside parties): only whether they are null is compared.
	PresenceOnly []string
	// FirstLineOnly names members holding HTTP traces: when both sides are strings only their
	// first lines (the request or status line) are compared.
	FirstLineOnly []string
	// PairKeysInOrder changes how members keyed by invented UUIDs are matched up: by sorted
	// position, and only when as many keys are unmatched on each side. Without it each expected
	// key takes the first actual key it can be bound to, honouring earlier bindings.
	PairKeysInOrder bool
	// ShowLimit is how many bytes of a value a difference quotes (200 when zero).
	ShowLimit int
	// Exact compares every string literally: generated UUIDs and timestamps are no longer
	// wildcards. For harnesses that reproduce the reference's clock and UUID stream.
	Exact bool
}

// NewComparer returns a Comparer following r that treats every UUID appearing in inputs as
// known. Inputs are JSON texts ([]byte, json.RawMessage or string) or values to marshal.
func (r Rules) NewComparer(inputs ...any) *Comparer {
	c := &Comparer{rules: r, known: map[string]bool{}, mapping: map[string]string{}, reverse: map[string]string{}}
	if c.rules.ShowLimit == 0 {
		c.rules.ShowLimit = 200
	}
	for _, in := range inputs {
		for _, u := range uuidRE.FindAll(inputBytes(in), -1) {
			c.known[lower(string(u))] = true
		}
	}
	return c
}

// member applies the PresenceOnly and FirstLineOnly rules to the value of a member named key;
// handled says whether one of them decided.
func (c *Comparer) member(path, key string, exp, act any, out *[]string) (handled bool) {
	for _, k := range c.rules.PresenceOnly {
		if k == key {
			if (exp == nil) != (act == nil) {
				*out = append(*out, fmt.Sprintf("%s: want %s, got %s", path, c.show(exp), c.show(act)))
			}
			return true
		}
	}
	for _, k := range c.rules.FirstLineOnly {
		if k != key {
			continue
		}
		es, eok := exp.(string)
		as, aok := act.(string)
		if !eok || !aok {
			return false
		}
		if firstLine(es) != firstLine(as) {
			*out = append(*out, fmt.Sprintf("%s: want %q, got %q", path, firstLine(es), firstLine(as)))
		}
		return true
	}
	return false
}
