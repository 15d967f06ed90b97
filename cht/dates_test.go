package cht

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDateMS(t *testing.T) {
	nairobi := time.FixedZone("EAT", 3*3600)
	cases := []struct {
		name string
		in   string
		loc  *time.Location
		want int64
		ok   bool
	}{
		{"DateOnlyIsLocalMidnight", "2018-11-10", time.UTC, 1541808000000, true},
		{"DateOnlyInServerZone", "2018-11-10", nairobi, 1541797200000, true},
		{"UTCWithMillis", "2015-01-13T19:36:59.013Z", nairobi, 1421177819013, true},
		{"Offset", "2015-01-13T22:36:59+03:00", time.UTC, 1421177819000, true},
		{"BasicFormat", "20181110", time.UTC, 1541808000000, true},
		{"OverflowingDayInvalid", "2019-02-30", time.UTC, 0, false},
		{"RFC1123", "Sat, 10 Nov 2018 00:00:00 GMT", time.UTC, 1541808000000, true},
		{"GarbageInvalid", "next tuesday", time.UTC, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseDateMS(tc.in, tc.loc)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("parseDateMS(%q) = %d, %v", tc.in, got, ok)
			}
		})
	}
}

func TestSentTimestamp(t *testing.T) {
	cases := []struct {
		name string
		in   any
		want json.Number
		ok   bool
	}{
		{"NumberAsIs", json.Number("1557404580557"), "1557404580557", true},
		{"ZeroMeansNow", json.Number("0"), "", false},
		{"LongDigitString", "1557404580557", "1557404580557", true},
		{"DigitsInsideTextMeanNow", "x1557404580557", "", false},
		{"ISOString", "2015-01-13T19:36:59.013Z", "1421177819013", true},
		{"UnparsableMeansNow", "soon", "", false},
		{"BooleanMeansNow", true, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := sentTimestamp(tc.in, time.UTC)
			if ok != tc.ok || (ok && got != tc.want) {
				t.Fatalf("sentTimestamp(%v) = %q, %v", tc.in, got, ok)
			}
		})
	}
}
