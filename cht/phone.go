package cht

import (
	"careflow/internal/memo"
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
	mode, _ := settings["phone_validation"].(string)
	key := phoneKey{region: region, mode: strings.ToLower(mode), phone: phone}
	if len(phone) > 64 {
		r := normalizePhone(key) // not a phone anyone sends twice: keep entries small
		return r.normalized, r.ok
	}
	r := phones.Get(key, normalizePhone)
	return r.normalized, r.ok
}

// normalizePhone is NormalizePhone's uncached work: parsing with phonenumbers was a twentieth
// of the records API's CPU, for the same few thousand senders again and again.
func normalizePhone(key phoneKey) phoneResult {
	region, phone := key.region, key.phone
	num, err := phonenumbers.ParseAndKeepRawInput(phone, region)
	if err != nil {
		return phoneResult{}
	}
	var ok bool
	switch key.mode {
	case "partial":
		ok = phonenumbers.IsPossibleNumber(num)
	case "none":
		ok = true
	default:
		ok = phonenumbers.IsValidNumber(num)
	}
	if !ok {
		return phoneResult{}
	}
	if region != "ZZ" && phonenumbers.IsValidShortNumberForRegion(num, region) {
		return phoneResult{phonenumbers.Format(num, phonenumbers.NATIONAL), true}
	}
	return phoneResult{phonenumbers.Format(num, phonenumbers.E164), true}
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

type phoneKey struct{ region, mode, phone string }

type phoneResult struct {
	normalized string
	ok         bool
}

// phones remembers normalisations, a pure function of region, mode and phone.
var phones = memo.New[phoneKey, phoneResult](1 << 16)
