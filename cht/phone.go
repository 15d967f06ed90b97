package cht

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

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
	if r, hit := phones.get(key); hit {
		return r.normalized, r.ok
	}
	normalized, ok = normalizePhone(key)
	phones.put(key, phoneResult{normalized, ok})
	return normalized, ok
}

// normalizePhone is NormalizePhone's uncached work: parsing with phonenumbers was a twentieth
// of the records API's CPU, for the same few thousand senders again and again.
func normalizePhone(key phoneKey) (string, bool) {
	region, phone := key.region, key.phone
	num, err := phonenumbers.ParseAndKeepRawInput(phone, region)
	if err != nil {
		return "", false
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

type phoneKey struct{ region, mode, phone string }

type phoneResult struct {
	normalized string
	ok         bool
}

// phoneCache remembers normalisations, a pure function of region, mode and phone. It is
// emptied when full rather than kept in order: a sender base larger than the cache costs
// the parses it would have cost without one, and memory stays bounded.
type phoneCache struct {
	mu sync.RWMutex
	m  map[phoneKey]phoneResult
}

const phoneCacheSize = 1 << 16

var phones phoneCache

func (c *phoneCache) get(k phoneKey) (phoneResult, bool) {
	c.mu.RLock()
	r, ok := c.m[k]
	c.mu.RUnlock()
	return r, ok
}

func (c *phoneCache) put(k phoneKey, r phoneResult) {
	if len(k.phone) > 64 {
		return // not a phone anyone sends twice; keep the cache's memory bounded per entry too
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= phoneCacheSize {
		c.m = make(map[phoneKey]phoneResult, 1024)
	}
	c.m[k] = r
	c.mu.Unlock()
}
