package expr

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestPlusDigitsMatchesParser checks the "+digits" fast path against the general parser on
// numbers of every calling code: whenever the fast path answers, it must give the number the
// parser gives, formatted the same.
func TestPlusDigitsMatchesParser(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	answered := 0
	for cc := 1; cc < 1000; cc++ {
		if phonenumbers.GetRegionCodeForCountryCode(cc) == phonenumbers.UNKNOWN_REGION {
			continue
		}
		for length := 1; length <= 18; length++ {
			for try := 0; try < 12; try++ {
				nsn := make([]byte, length)
				for i := range nsn {
					nsn[i] = byte('0' + rng.IntN(10))
				}
				if try < 10 && length > 0 {
					nsn[0] = byte('0' + try) // every leading digit, national prefixes included
				}
				s := "+" + strconv.Itoa(cc) + string(nsn)
				fast, ok := parsePlusDigits(s)
				if !ok {
					continue
				}
				answered++
				slow, err := phonenumbers.Parse(s, "")
				if err != nil {
					t.Fatalf("%s: fast path answered, parser failed: %v", s, err)
				}
				if fast.GetCountryCode() != slow.GetCountryCode() || fast.GetNationalNumber() != slow.GetNationalNumber() ||
					fast.GetItalianLeadingZero() != slow.GetItalianLeadingZero() || slow.GetExtension() != "" {
					t.Fatalf("%s: fast path %v, parser %v", s, fast, slow)
				}
				if f, p := phonenumbers.Format(fast, phonenumbers.NATIONAL), phonenumbers.Format(slow, phonenumbers.NATIONAL); f != p {
					t.Fatalf("%s: fast path formats as %q, parser as %q", s, f, p)
				}
			}
		}
	}
	if answered < 10000 {
		t.Fatalf("fast path answered only %d numbers", answered)
	}
}

func TestFormatPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+12065551212", "(206) 555-1212"},
		{"+250788383383", "0788 383 383"},
		{"+2500788383383", "0788 383 383"}, // national prefix: the general parser strips it
		{"+442079460000", "020 7946 0000"},
		{"+390612345678", "06 1234 5678"}, // leading zero kept
		{"+1 206 555 1212", "(206) 555-1212"},
		{"+12065551212 ext. 5", "(206) 555-1212 ext. 5"},
		{"+999123", "+999123"},
		{"12065551212", "12065551212"},
		{"+1", "+1"},
	}
	for _, tc := range tests {
		if got := formatPhone(tc.in); got != tc.want {
			t.Errorf("formatPhone(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func BenchmarkFormatURN(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := FormatURN("tel:+250700000001"); err != nil {
			b.Fatal(err)
		}
	}
}
