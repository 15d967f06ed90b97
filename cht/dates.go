package cht

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CHT converts dates with moment.js: ISO 8601 strings (a date alone, or a date and time, with
// or without an offset; without one the server's zone applies), and failing that the
// JavaScript Date parser's RFC 2822 forms. An unparsable date is NaN, which JSON writes as null.

var isoDate = regexp.MustCompile(`^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$`)

var rfcLayouts = []string{time.RFC1123Z, time.RFC1123, time.RFC850, time.ANSIC, time.RFC822Z, time.RFC822,
	"Mon, 2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 -0700", "Jan 2 2006", "Jan 2, 2006", "2006/01/02", "2006/1/2"}

// parseDateMS parses s as moment(s) would and returns epoch milliseconds.
func parseDateMS(s string, loc *time.Location) (int64, bool) {
	s = strings.TrimSpace(s)
	if m := isoDate.FindStringSubmatch(s); m != nil {
		num := func(x string) int {
			n, _ := strconv.Atoi(x)
			return n
		}
		nanos := 0
		if m[7] != "" {
			frac := (m[7] + "000000000")[:9]
			nanos = num(frac)
		}
		zone := loc
		if m[8] != "" {
			zone = time.UTC
			if m[8] != "Z" {
				off := strings.ReplaceAll(m[8][1:], ":", "")
				secs := num(off[:2]) * 3600
				if len(off) >= 4 {
					secs += num(off[2:4]) * 60
				}
				if m[8][0] == '-' {
					secs = -secs
				}
				zone = time.FixedZone("", secs)
			}
		}
		y, mo, d := num(m[1]), num(m[2]), num(m[3])
		if mo < 1 || mo > 12 || d < 1 || d > 31 || num(m[4]) > 24 || num(m[5]) > 59 || num(m[6]) > 59 {
			return 0, false
		}
		t := time.Date(y, time.Month(mo), d, num(m[4]), num(m[5]), num(m[6]), nanos, zone)
		if t.Day() != d {
			return 0, false // moment rejects overflowing dates such as 2019-02-30
		}
		return t.UnixMilli(), true
	}
	for _, layout := range rfcLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UnixMilli(), true
		}
	}
	return 0, false
}

// momentValue converts a JSON value as moment(v).valueOf() does: a number is already epoch
// milliseconds, a string is parsed, anything else is invalid. ok is false for NaN.
func momentValue(v any, loc *time.Location) (json.Number, bool) {
	switch t := v.(type) {
	case json.Number:
		return t, true
	case string:
		if ms, ok := parseDateMS(t, loc); ok {
			return json.Number(strconv.FormatInt(ms, 10)), true
		}
	}
	return "", false
}

var longDigits = regexp.MustCompile(`\d{13,}`)

// sentTimestamp reads a record's reported date as CHT's parseSentTimestamp does: a number as
// is, a string holding 13 or more digits as that number, another string through moment. ok
// is false when the value gives no usable (non-zero, valid) time, and "now" applies.
func sentTimestamp(v any, loc *time.Location) (json.Number, bool) {
	switch t := v.(type) {
	case json.Number:
		f, err := t.Float64()
		return t, err == nil && f != 0
	case string:
		if longDigits.MatchString(t) {
			f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
			if err != nil || f == 0 {
				return "", false
			}
			return json.Number(strconv.FormatFloat(f, 'f', -1, 64)), true
		}
		n, ok := momentValue(t, loc)
		if !ok || n == "0" {
			return "", false
		}
		return n, true
	}
	return "", false
}
