package cht

import (
	"encoding/json"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	nz := map[string]any{"default_country_code": json.Number("64")}
	cases := []struct {
		name     string
		settings map[string]any
		phone    string
		want     string
		ok       bool
	}{
		{"DomesticGetsCountryCode", nz, "0275552636", "+64275552636", true},
		{"PunctuationStripped", nz, "+ 6 4 - 02 7.-.5.(55((2636.", "+64275552636", true},
		{"ExtraTrunkZeroRemoved", nz, "+640275552636", "+64275552636", true},
		{"OtherCountryKept", nz, "+15155556442", "+15155556442", true},
		{"LettersInvalid", nz, "02755K2636", "", false},
		{"TrailingLettersInvalid", nz, "0275552636ff", "", false},
		{"NoCountryCodeDomesticInvalid", map[string]any{}, "0275552636", "", false},
		{"ShortNumberFailsFullValidation", nz, "4234", "", false},
		{"ShortNumberKeptWithoutValidation", map[string]any{"default_country_code": "64", "phone_validation": "none"}, "4234", "4234", true},
		{"PartialValidationOnlyChecksLength", map[string]any{"default_country_code": 1.0, "phone_validation": "partial"}, "(312) 555-1212", "+13125551212", true},
		{"EmptyInvalid", nz, "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := NormalizePhone(tc.settings, tc.phone)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("NormalizePhone(%q) = %q, %v; want %q, %v", tc.phone, got, ok, tc.want, tc.ok)
			}
		})
	}
}
