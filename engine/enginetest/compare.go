package enginetest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"careflow/flow/flowtest"
)

var timeRE = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`)

// Comparer compares expected and actual engine output the way the conformance README §2.1
// recommends; it is the flow comparer with the engine rules (see NewComparer).
type Comparer = flowtest.Comparer

// engineRules widen the flow comparison for engine output: numbers compare by value and
// volatile webhook fields (timings, sizes, outside ids, the bodies of HTTP traces) loosely.
var engineRules = flowtest.Rules{
	NumbersByValue:  true,
	PresenceOnly:    []string{"elapsed_ms", "sizes", "external_id"},
	FirstLineOnly:   []string{"request", "response"},
	PairKeysInOrder: true,
	ShowLimit:       300,
}

// NewComparer collects the UUIDs and timestamps of the inputs: other UUIDs are wildcards with a
// one-to-one mapping kept across a whole test case, other timestamps are wildcards, and known
// timestamps compare by instant.
func NewComparer(inputs ...[]byte) *Comparer {
	known := map[int64]bool{}
	in := make([]any, len(inputs))
	for i, b := range inputs {
		in[i] = b
		for _, t := range timeRE.FindAll(b, -1) {
			if tm, err := time.Parse(time.RFC3339Nano, string(t)); err == nil {
				known[tm.UnixNano()] = true
			}
		}
	}
	rules := engineRules
	rules.Normalize = func(s string) string { return normTimes(s, known) }
	return rules.NewComparer(in...)
}

// NewExactComparer is NewComparer with generated UUIDs and timestamps compared literally, for
// runs whose clock and UUIDs are seeded as the reference fixtures' were (conformance README §2).
func NewExactComparer(inputs ...[]byte) *Comparer {
	in := make([]any, len(inputs))
	for i, b := range inputs {
		in[i] = b
	}
	rules := engineRules
	rules.Exact = true
	return rules.NewComparer(in...)
}

// normTimes replaces the timestamps in s that are not known with a placeholder and known ones
// with their instant in UTC.
func normTimes(s string, known map[int64]bool) string {
	if !timeRE.MatchString(s) {
		return s
	}
	return timeRE.ReplaceAllStringFunc(s, func(t string) string {
		tm, err := time.Parse(time.RFC3339Nano, t)
		if err != nil {
			return t
		}
		if known[tm.UnixNano()] {
			return tm.UTC().Format(time.RFC3339Nano)
		}
		return "<time>"
	})
}

// Decode parses JSON keeping numbers exact.
func Decode(data []byte) (any, error) { return flowtest.Decode(data) }

// ToAny round-trips a Go value through JSON.
func ToAny(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<marshal error: %v>", err)
	}
	out, _ := Decode(b)
	return out
}
