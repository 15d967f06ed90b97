package expr

import (
	"regexp"
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
	"google.golang.org/protobuf/proto"
)

// formatPhone returns a phone number in its national format (spec: format_urn), or path
// unchanged when it isn't a phone number.
func formatPhone(path string) string {
	num, ok := parsePlusDigits(path)
	if !ok {
		parsed, err := phonenumbers.Parse(path, "")
		if err != nil {
			return path
		}
		num = parsed
	}
	return phonenumbers.Format(num, phonenumbers.NATIONAL)
}

// parsePlusDigits is a fast path for the common form of stored numbers, "+" then digits
// only. It gives the same number phonenumbers.Parse(s, "") gives, without the general
// parser's regular expressions for extensions and punctuation (which can't match digits
// only), and declines (ok false) whenever the parser could still change the number: a
// national number that starts with 0 (kept as leading zeros) or that the country's national
// prefix pattern matches (the parser may strip it), or lengths outside the parser's limits.
func parsePlusDigits(s string) (*phonenumbers.PhoneNumber, bool) {
	if len(s) < 4 || s[0] != '+' || s[1] == '0' {
		return nil, false
	}
	digits := s[1:]
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return nil, false
		}
	}
	prefixes := nationalPrefixes()
	// the country code is the shortest prefix (up to 3 digits) that is a known calling code
	for n := 1; n <= 3 && n < len(digits); n++ {
		cc, _ := strconv.Atoi(digits[:n])
		if phonenumbers.GetRegionCodeForCountryCode(cc) == phonenumbers.UNKNOWN_REGION {
			continue
		}
		prefix, known := prefixes[cc]
		nsn := digits[n:]
		if !known || len(nsn) < 2 || len(nsn) > 17 || nsn[0] == '0' || (prefix != nil && prefix.MatchString(nsn)) {
			return nil, false
		}
		v, err := strconv.ParseUint(nsn, 10, 64)
		if err != nil {
			return nil, false
		}
		return &phonenumbers.PhoneNumber{CountryCode: proto.Int32(int32(cc)), NationalNumber: proto.Uint64(v)}, true
	}
	return nil, false
}

var (
	nationalPrefixOnce sync.Once
	nationalPrefixMap  map[int]*regexp.Regexp
)

// nationalPrefixes maps every known calling code to the anchored pattern of the national
// prefix its main region strips when parsing (nil when it has none). Built once, read-only after.
func nationalPrefixes() map[int]*regexp.Regexp {
	nationalPrefixOnce.Do(func() {
		m := map[int]*regexp.Regexp{}
		coll, err := phonenumbers.MetadataCollection()
		if err != nil {
			nationalPrefixMap = m // every number then takes the general parser
			return
		}
		for _, md := range coll.GetMetadata() {
			cc := int(md.GetCountryCode())
			main := phonenumbers.GetRegionCodeForCountryCode(cc)
			if md.GetId() != main {
				continue
			}
			var re *regexp.Regexp
			if p := md.GetNationalPrefixForParsing(); p != "" {
				if re, err = regexp.Compile("^(?:" + p + ")"); err != nil {
					continue // unknown to the fast path: the general parser handles it
				}
			}
			m[cc] = re
		}
		nationalPrefixMap = m
	})
	return nationalPrefixMap
}
