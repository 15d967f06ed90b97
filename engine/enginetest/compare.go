package enginetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

var (
	uuidRE = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)
	timeRE = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`)
)

// Comparer compares expected and actual engine output the way the conformance README §2.1
// recommends: UUIDs and timestamps absent from the inputs are wildcards (UUIDs with a one-to-one
// mapping kept across a whole test case), volatile fields are compared loosely.
type Comparer struct {
	knownUUIDs map[string]bool
	knownTimes map[int64]bool
	mapping    map[string]string
	reverse    map[string]string
}

// NewComparer collects the UUIDs and timestamps of the inputs.
func NewComparer(inputs ...[]byte) *Comparer {
	c := &Comparer{knownUUIDs: map[string]bool{}, knownTimes: map[int64]bool{}, mapping: map[string]string{}, reverse: map[string]string{}}
	for _, in := range inputs {
		for _, u := range uuidRE.FindAll(in, -1) {
			c.knownUUIDs[strings.ToLower(string(u))] = true
		}
		for _, t := range timeRE.FindAll(in, -1) {
			if tm, err := time.Parse(time.RFC3339Nano, string(t)); err == nil {
				c.knownTimes[tm.UnixNano()] = true
			}
		}
	}
	return c
}

// Decode parses JSON keeping numbers exact.
func Decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// ToAny round-trips a Go value through JSON.
func ToAny(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<marshal error: %v>", err)
	}
	out, _ := Decode(b)
	return out
}

// Diff lists the differences between expected and actual (both decoded JSON).
func (c *Comparer) Diff(expected, actual any) []string {
	var out []string
	c.walk("$", "", expected, actual, &out)
	return out
}

func (c *Comparer) walk(path, key string, exp, act any, out *[]string) {
	switch key {
	case "elapsed_ms", "sizes", "external_id":
		if (exp == nil) != (act == nil) {
			*out = append(*out, fmt.Sprintf("%s: want %s, got %s", path, show(exp), show(act)))
		}
		return
	case "request", "response":
		es, eok := exp.(string)
		as, aok := act.(string)
		if eok && aok {
			if firstLine(es) != firstLine(as) {
				*out = append(*out, fmt.Sprintf("%s: want %q, got %q", path, firstLine(es), firstLine(as)))
			}
			return
		}
	}
	switch e := exp.(type) {
	case map[string]any:
		a, ok := act.(map[string]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: want %s, got %s", path, show(exp), show(act)))
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
				*out = append(*out, fmt.Sprintf("%s.%s: missing (want %s)", path, k, show(ev)))
			case !inE:
				*out = append(*out, fmt.Sprintf("%s.%s: unexpected %s", path, k, show(av)))
			default:
				c.walk(path+"."+k, k, ev, av, out)
			}
		}
	case []any:
		a, ok := act.([]any)
		if !ok || len(a) != len(e) {
			*out = append(*out, fmt.Sprintf("%s: want %s, got %s", path, show(exp), show(act)))
			return
		}
		for i := range e {
			c.walk(fmt.Sprintf("%s[%d]", path, i), key, e[i], a[i], out)
		}
	case string:
		a, ok := act.(string)
		if !ok || !c.matchString(e, a) {
			*out = append(*out, fmt.Sprintf("%s: want %s, got %s", path, show(exp), show(act)))
		}
	case json.Number:
		a, ok := act.(json.Number)
		if !ok || !sameNumber(e, a) {
			*out = append(*out, fmt.Sprintf("%s: want %s, got %s", path, show(exp), show(act)))
		}
	default:
		if show(exp) != show(act) {
			*out = append(*out, fmt.Sprintf("%s: want %s, got %s", path, show(exp), show(act)))
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

// normTimes replaces timestamps that are not inputs with a placeholder and known ones with
// their instant.
func (c *Comparer) normTimes(s string) string {
	return timeRE.ReplaceAllStringFunc(s, func(t string) string {
		tm, err := time.Parse(time.RFC3339Nano, t)
		if err != nil {
			return t
		}
		if c.knownTimes[tm.UnixNano()] {
			return tm.UTC().Format(time.RFC3339Nano)
		}
		return "<time>"
	})
}

func (c *Comparer) matchString(exp, act string) bool {
	if exp == act && !uuidRE.MatchString(exp) {
		return true
	}
	if timeRE.MatchString(exp) || timeRE.MatchString(act) {
		exp, act = c.normTimes(exp), c.normTimes(act)
		if exp == act && !uuidRE.MatchString(exp) {
			return true
		}
	}
	el := uuidRE.FindAllStringIndex(exp, -1)
	al := uuidRE.FindAllStringIndex(act, -1)
	if len(el) != len(al) {
		return false
	}
	ei, ai := 0, 0
	for k := range el {
		if exp[ei:el[k][0]] != act[ai:al[k][0]] {
			return false
		}
		if !c.bind(strings.ToLower(exp[el[k][0]:el[k][1]]), strings.ToLower(act[al[k][0]:al[k][1]])) {
			return false
		}
		ei, ai = el[k][1], al[k][1]
	}
	return exp[ei:] == act[ai:]
}

func (c *Comparer) bind(exp, act string) bool {
	if c.knownUUIDs[exp] {
		return exp == act
	}
	if m, ok := c.mapping[exp]; ok {
		return m == act
	}
	if _, taken := c.reverse[act]; taken || c.knownUUIDs[act] {
		return false
	}
	c.mapping[exp] = act
	c.reverse[act] = exp
	return true
}

// mapKeys renames actual keys that are generated UUIDs to the expected ones they map to.
func (c *Comparer) mapKeys(exp, act map[string]any) map[string]any {
	var missing, extra []string
	for k := range exp {
		if _, ok := act[k]; !ok && uuidRE.MatchString(k) && len(k) == 36 {
			missing = append(missing, k)
		}
	}
	for k := range act {
		if _, ok := exp[k]; !ok && uuidRE.MatchString(k) && len(k) == 36 {
			extra = append(extra, k)
		}
	}
	if len(missing) == 0 || len(missing) != len(extra) {
		return act
	}
	sort.Strings(missing)
	sort.Strings(extra)
	out := make(map[string]any, len(act))
	for k, v := range act {
		out[k] = v
	}
	for i := range missing {
		if c.bind(missing[i], extra[i]) {
			out[missing[i]] = out[extra[i]]
			delete(out, extra[i])
		}
	}
	return out
}

func show(v any) string {
	if v == nil {
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 300 {
		return string(b[:297]) + "..."
	}
	return string(b)
}
