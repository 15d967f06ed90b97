package flowtest

import (
	"strings"
	"testing"
)

// TestFlowtestComparerRules checks what the flow rules and each widening rule accept.
func TestFlowtestComparerRules(t *testing.T) {
	const known = "11111111-1111-4111-8111-111111111111"
	stamp := func(s string) string { return strings.ReplaceAll(s, "2000", "<year>") }
	tests := []struct {
		name      string
		rules     Rules
		want, got string
		same      bool
	}{
		{"KeyOrderIsIgnored", Rules{}, `{"a":1,"b":2}`, `{"b":2,"a":1}`, true},
		{"InventedUUIDMatchesAnyUUID", Rules{}, `{"u":"22222222-2222-4222-8222-222222222222"}`, `{"u":"33333333-3333-4333-8333-333333333333"}`, true},
		{"InventedUUIDBindsOnce", Rules{}, `["22222222-2222-4222-8222-222222222222","22222222-2222-4222-8222-222222222222"]`,
			`["33333333-3333-4333-8333-333333333333","44444444-4444-4444-8444-444444444444"]`, false},
		{"KnownUUIDMustBeEqual", Rules{}, `{"u":"` + known + `"}`, `{"u":"33333333-3333-4333-8333-333333333333"}`, false},
		{"NumbersAsWrittenByDefault", Rules{}, `{"n":1.50}`, `{"n":1.5}`, false},
		{"NumbersByValue", Rules{NumbersByValue: true}, `{"n":1.50}`, `{"n":1.5}`, true},
		{"PresenceOnlyIgnoresValue", Rules{PresenceOnly: []string{"ms"}}, `{"ms":3}`, `{"ms":7}`, true},
		{"PresenceOnlyStillWantsValue", Rules{PresenceOnly: []string{"ms"}}, `{"ms":3}`, `{"ms":null}`, false},
		{"FirstLineOnly", Rules{FirstLineOnly: []string{"request"}}, `{"request":"GET / HTTP/1.1\r\nA: 1"}`, `{"request":"GET / HTTP/1.1\r\nB: 2"}`, true},
		{"FirstLineOnlyComparesFirstLine", Rules{FirstLineOnly: []string{"request"}}, `{"request":"GET / HTTP/1.1\r\nA: 1"}`, `{"request":"POST / HTTP/1.1\r\nA: 1"}`, false},
		{"NormalizeRewritesBothSides", Rules{Normalize: stamp}, `{"d":"2000 2000"}`, `{"d":"<year> 2000"}`, true},
		{"ExtraMemberDiffers", Rules{}, `{"a":1}`, `{"a":1,"b":2}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := Decode([]byte(tc.want))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decode([]byte(tc.got))
			if err != nil {
				t.Fatal(err)
			}
			diffs := tc.rules.NewComparer(`"`+known+`"`).Diff(want, got)
			if (len(diffs) == 0) != tc.same {
				t.Errorf("diffs %q, want same=%v", diffs, tc.same)
			}
		})
	}
}
