package expr

import (
	"sort"
	"strings"
	"testing"
)

// TestObjectLookupIgnoresCase checks the key index against a scan of every key with
// strings.EqualFold (the first match in sorted order wins).
func TestObjectLookupIgnoresCase(t *testing.T) {
	tests := []struct {
		name    string
		keys    []string
		lookups []string
	}{
		{"lower keys", []string{"name", "urn", "first_name"}, []string{"name", "NAME", "Name", "urn", "uRn", "nam", "x", "ſ"}},
		{"mixed keys", []string{"Name", "NAME", "name", "Age", "AGE"}, []string{"name", "nAme", "NAME", "age", "aGe", "Age", "ages"}},
		{"upper only", []string{"ID", "Id"}, []string{"id", "ID", "iD", "Id"}},
		{"non-ASCII keys", []string{"café", "CAFÉ", "kelvin", "K"}, []string{"café", "Café", "CAFÉ", "KELVIN", "k", "K", "K"}},
		{"non-ASCII lookups", []string{"ks", "name"}, []string{"Kſ", "ks", "KS", "nAme"}},
	}
	for _, tc := range tests {
		// the same again with more keys than smallObject, so the large-object index is used
		large := tc
		large.name += " (large)"
		for i := 0; i <= smallObject; i++ {
			large.keys = append(large.keys, "filler_"+string(rune('a'+i)))
		}
		tests = append(tests, large)
	}
	tests = append(tests, struct {
		name    string
		keys    []string
		lookups []string
	}{"upper keys only when large", []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "Name", "NAME"}, []string{"name", "NAME", "nAME", "Q", "q"}})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := NewObjectSize(len(tc.keys))
			for i, k := range tc.keys {
				o.Set(k, NumberFromInt(int64(i)))
			}
			sorted := append([]string(nil), tc.keys...)
			sort.Strings(sorted)
			for _, l := range tc.lookups {
				want, wantOK := "", false
				if o.exact(l) >= 0 {
					want, wantOK = l, true
				} else {
					for _, k := range sorted {
						if strings.EqualFold(k, l) {
							want, wantOK = k, true
							break
						}
					}
				}
				got, ok := "", false
				if i := o.find(l); i >= 0 {
					got, ok = o.props[i].key, true
				}
				if got != want || ok != wantOK {
					t.Errorf("findKey(%q) = %q, %v; want %q, %v", l, got, ok, want, wantOK)
				}
			}
		})
	}
}
