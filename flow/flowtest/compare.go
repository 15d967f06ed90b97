// Package flowtest compares JSON documents the way the conformance fixtures ask: parsed values,
// key order ignored, and UUIDs or timestamps invented by the engine treated as wildcards bound
// consistently across one test case. It is used by the flow tests and the conformance suites;
// package engine/enginetest builds its engine-output comparer from it (see Rules).
//
// It is pure (no I/O) and must not import engine, runtime or store.
package flowtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

var uuidRE = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)

// Comparer compares expected against actual values for one test case. UUIDs found in the inputs
// (Known) must match exactly; any other expected UUID must match an actual UUID, the same one
// every time it appears.
type Comparer struct {
	rules   Rules
	known   map[string]bool
	mapping map[string]string // expected → actual
	reverse map[string]string // actual → expected
}

// NewComparer returns a Comparer for flow definitions treating every UUID that appears in inputs
// as known; it is Rules{}.NewComparer.
func NewComparer(inputs ...any) *Comparer { return Rules{}.NewComparer(inputs...) }

// inputBytes is the JSON text of one NewComparer input.
func inputBytes(in any) []byte {
	switch v := in.(type) {
	case []byte:
		return v
	case json.RawMessage:
		return v
	case string:
		return []byte(v)
	}
	b, _ := json.Marshal(in)
	return b
}

func lower(s string) string { return strings.ToLower(s) }

// Decode parses JSON into generic values with numbers kept exact.
func Decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// Diff returns one line per difference between expected and actual (generic JSON values as
// returned by Decode or json.Unmarshal), each naming the JSON path; nil when they match.
func (c *Comparer) Diff(expected, actual any) []string {
	var out []string
	c.walk("$", "", normalize(expected), normalize(actual), &out)
	return out
}

// normalize turns float64 numbers into json.Number so both decodings compare equal.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = normalize(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = normalize(e)
		}
		return l
	case float64:
		b, _ := json.Marshal(x)
		return json.Number(b)
	}
	return v
}

// walk compares exp and act at path; key is the name of the member holding them (array
// elements inherit it), for the member rules.
func (c *Comparer) walk(path, key string, exp, act any, out *[]string) {
	if key != "" && c.member(path, key, exp, act, out) {
		return
	}
	mismatch := func() { *out = append(*out, fmt.Sprintf("%s: want %s, got %s", path, c.show(exp), c.show(act))) }
	switch e := exp.(type) {
	case map[string]any:
		a, ok := act.(map[string]any)
		if !ok {
			mismatch()
			return
		}
		a = c.mapKeys(e, a)
		keys := make([]string, 0, len(e)+len(a))
		for k := range e {
			keys = append(keys, k)
		}
		for k := range a {
			if _, dup := e[k]; !dup {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			ev, inE := e[k]
			av, inA := a[k]
			switch {
			case !inA:
				*out = append(*out, fmt.Sprintf("%s.%s: missing (want %s)", path, k, c.show(ev)))
			case !inE:
				*out = append(*out, fmt.Sprintf("%s.%s: unexpected %s", path, k, c.show(av)))
			default:
				c.walk(path+"."+k, k, ev, av, out)
			}
		}
	case []any:
		a, ok := act.([]any)
		if !ok || len(a) != len(e) {
			mismatch()
			return
		}
		for i := range e {
			c.walk(fmt.Sprintf("%s[%d]", path, i), key, e[i], a[i], out)
		}
	case string:
		if a, ok := act.(string); !ok || !c.matchString(e, a) {
			mismatch()
		}
	case json.Number:
		if !c.rules.NumbersByValue {
			if c.show(exp) != c.show(act) {
				mismatch()
			}
		} else if a, ok := act.(json.Number); !ok || !sameNumber(e, a) {
			mismatch()
		}
	default:
		if c.show(exp) != c.show(act) {
			mismatch()
		}
	}
}

func sameNumber(a, b json.Number) bool {
	if a == b {
		return true
	}
	fa, e1 := a.Float64()
	fb, e2 := b.Float64()
	return e1 == nil && e2 == nil && fa == fb
}

func firstLine(s string) string {
	if i := strings.Index(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// matchString compares strings with generated UUIDs (anywhere in them) mapped consistently.
func (c *Comparer) matchString(exp, act string) bool {
	if c.rules.Exact {
		return exp == act
	}
	if exp == act && !uuidRE.MatchString(exp) {
		return true
	}
	if c.rules.Normalize != nil {
		exp, act = c.rules.Normalize(exp), c.rules.Normalize(act)
		if exp == act && !uuidRE.MatchString(exp) {
			return true
		}
	}
	expLocs := uuidRE.FindAllStringIndex(exp, -1)
	actLocs := uuidRE.FindAllStringIndex(act, -1)
	if len(expLocs) != len(actLocs) {
		return false
	}
	ei, ai := 0, 0
	for k := range expLocs {
		if exp[ei:expLocs[k][0]] != act[ai:actLocs[k][0]] {
			return false
		}
		eu := strings.ToLower(exp[expLocs[k][0]:expLocs[k][1]])
		au := strings.ToLower(act[actLocs[k][0]:actLocs[k][1]])
		if !c.bind(eu, au) {
			return false
		}
		ei, ai = expLocs[k][1], actLocs[k][1]
	}
	return exp[ei:] == act[ai:]
}

func (c *Comparer) bind(exp, act string) bool {
	if c.known[exp] {
		return exp == act
	}
	if m, ok := c.mapping[exp]; ok {
		return m == act
	}
	if _, taken := c.reverse[act]; taken || c.known[act] {
		return false
	}
	c.mapping[exp] = act
	c.reverse[act] = exp
	return true
}

func (c *Comparer) show(v any) string {
	if v == nil {
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if n := c.rules.ShowLimit; len(b) > n {
		return string(b[:n-3]) + "..."
	}
	return string(b)
}

// mapKeys renames generated-UUID keys of the actual object to the expected keys they bind to,
// so objects keyed by invented UUIDs (localization items) compare by content.
func (c *Comparer) mapKeys(exp, act map[string]any) map[string]any {
	var missing, extra []string
	for k := range exp {
		if _, ok := act[k]; !ok && isUUIDKey(k) && (c.rules.PairKeysInOrder || !c.known[lower(k)]) {
			missing = append(missing, k)
		}
	}
	for k := range act {
		if _, ok := exp[k]; !ok && isUUIDKey(k) {
			extra = append(extra, k)
		}
	}
	if len(missing) == 0 || len(extra) == 0 || (c.rules.PairKeysInOrder && len(missing) != len(extra)) {
		return act
	}
	sort.Strings(missing)
	sort.Strings(extra)
	renamed := make(map[string]any, len(act))
	for k, v := range act {
		renamed[k] = v
	}
	rename := func(ek, ak string) {
		renamed[ek] = renamed[ak]
		delete(renamed, ak)
	}
	if c.rules.PairKeysInOrder {
		for i := range missing {
			if c.bind(missing[i], extra[i]) {
				rename(missing[i], extra[i])
			}
		}
		return renamed
	}
	used := map[string]bool{}
	for _, ek := range missing {
		el := lower(ek)
		target := ""
		if m, ok := c.mapping[el]; ok {
			for _, ak := range extra {
				if lower(ak) == m && !used[ak] {
					target = ak
				}
			}
		} else {
			for _, ak := range extra {
				if !used[ak] && c.bind(el, lower(ak)) {
					target = ak
					break
				}
			}
		}
		if target != "" {
			used[target] = true
			rename(ek, target)
		}
	}
	return renamed
}

func isUUIDKey(k string) bool { return len(k) == 36 && uuidRE.MatchString(k) }
