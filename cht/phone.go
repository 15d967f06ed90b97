package cht

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// NormalizePhone turns phone into the form contacts are stored and matched with, following
// CHT's phoneNumber.normalize (§3.2): parsed in the region of settings.default_country_code,
// checked as settings.phone_validation says ("partial": possible length, "none": anything
// parseable, otherwise full validation), refused when it holds any ASCII letter, and written
// in E.164, or in national form when it is a valid short number of the region. ok is false
// for a phone that does not normalise.
func NormalizePhone(settings map[string]any, phone string) (normalized string, ok bool) {
	if strings.IndexFunc(phone, func(r rune) bool { return r < 128 && ('a' <= r|0x20 && r|0x20 <= 'z') }) >= 0 {
		return "", false
	}
	region := "ZZ"
	if cc, ok := countryCode(settings["default_country_code"]); ok {
		region = phonenumbers.GetRegionCodeForCountryCode(cc)
	}
	num, err := phonenumbers.ParseAndKeepRawInput(phone, region)
	if err != nil {
		return "", false
	}
	mode, _ := settings["phone_validation"].(string)
	switch strings.ToLower(mode) {
	case "partial":
		ok = phonenumbers.IsPossibleNumber(num)
	case "none":
		ok = true
	default:
		ok = phonenumbers.IsValidNumber(num)
	}
	if !ok {
		return "", false
	}
	if region != "ZZ" && phonenumbers.IsValidShortNumberForRegion(num, region) {
		return phonenumbers.Format(num, phonenumbers.NATIONAL), true
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

// countryCode reads default_country_code, a number or a string of digits.
func countryCode(v any) (int, bool) {
	var s string
	switch t := v.(type) {
	case json.Number:
		s = t.String()
	case float64:
		s = strconv.FormatFloat(t, 'f', -1, 64)
	case string:
		s = strings.TrimPrefix(strings.TrimSpace(t), "+")
	case nil:
		return 0, false
	default:
		s = fmt.Sprint(t)
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}
