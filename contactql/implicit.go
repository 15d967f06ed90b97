package contactql

import (
	"regexp"
	"strings"

	"careflow/expr"

	"github.com/nyaruka/phonenumbers"
)

var (
	// a bare value like +123-124-6546 or 1234 is read as part of a phone number
	implicitPhone = regexp.MustCompile(`^\+?[\-\d]{4,}$`)
	phoneJunk     = regexp.MustCompile(`[^+\d]+`)
	// a whole query that looks like nothing but a phone number is read as one
	wholePhone    = regexp.MustCompile(`^\+?[\d \.\-\(\)]{5,}$`)
	nonTelChars   = regexp.MustCompile(`[^0-9A-Za-z]`)
	validTelPath  = regexp.MustCompile(`^\+[0-9]{7,15}$`)
	refAlphabet   = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	minNameToken  = 2 // name ~ needs a word of at least this many characters
	minURNContain = 3 // urn ~ needs at least this many characters
)

// redactsURNs reports whether the environment hides URNs, which forbids querying them.
func redactsURNs(env *expr.Environment) bool {
	return env != nil && env.RedactionPolicy == expr.RedactionURNs
}

// newImplicitCondition turns a bare value into a condition, guessing as the reference does:
// with URNs redacted, something shaped like a contact reference is a ref lookup; otherwise a
// URN (tel:+250…) is an exact URN match and a phone-like value a tel contains; anything else
// searches names (contains when it has a word of two or more characters, else equals).
func newImplicitCondition(env *expr.Environment, value string) *Condition {
	if redactsURNs(env) {
		if looksLikeRef(value) {
			return &Condition{Type: PropertyAttribute, Key: AttrRef, Operator: OpEqual, Value: value}
		}
	} else if scheme, path, ok := splitURN(value); ok {
		return &Condition{Type: PropertyScheme, Key: scheme, Operator: OpEqual, Value: path}
	} else if implicitPhone.MatchString(value) {
		return &Condition{Type: PropertyScheme, Key: "tel", Operator: OpContains, Value: phoneJunk.ReplaceAllString(value, "")}
	}
	op := OpContains
	if len(nameTokens(value)) == 0 {
		op = OpEqual
	}
	return &Condition{Type: PropertyAttribute, Key: AttrName, Operator: op, Value: value}
}

// splitURN splits scheme:path[?query][#display] when the scheme is known and the path isn't
// empty; the query and display parts are dropped.
func splitURN(s string) (scheme, path string, ok bool) {
	scheme, path, ok = strings.Cut(s, ":")
	if !ok || !schemes[scheme] {
		return "", "", false
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	return scheme, path, path != ""
}

// looksLikeRef reports whether s could be an obfuscated contact reference: 6 or 7 characters of
// the reference alphabet (upper-case letters and digits without I, O, 0 and 1), in any case.
func looksLikeRef(s string) bool {
	if len(s) != 6 && len(s) != 7 {
		return false
	}
	for _, r := range strings.ToUpper(s) {
		if !strings.ContainsRune(refAlphabet, r) {
			return false
		}
	}
	return true
}

// parsePhone returns s as an E.164 number when it is nothing but a possible phone number for
// the country (or in international form), and "" otherwise.
func parsePhone(s, country string) string {
	s = strings.TrimSpace(s)
	if !wholePhone.MatchString(s) {
		return ""
	}
	raw := nonTelChars.ReplaceAllString(s, "")
	if strings.HasPrefix(s, "+") {
		raw = "+" + raw
	}
	num, err := phonenumbers.Parse(raw, country)
	if country != "" && err == phonenumbers.ErrInvalidCountryCode {
		return ""
	}
	if e164, ok := possibleE164(num, err); ok {
		return e164
	}
	if len(raw) >= 11 && !strings.HasPrefix(raw, "0") && !strings.HasPrefix(raw, "+") {
		if e164, ok := possibleE164(phonenumbers.Parse("+"+raw, country)); ok {
			return e164
		}
	}
	return ""
}

// possibleE164 formats a parsed number as E.164 when it is a possible number whose E.164 form
// reads back as itself and is a valid tel path.
func possibleE164(num *phonenumbers.PhoneNumber, err error) (string, bool) {
	if err != nil || phonenumbers.IsPossibleNumberWithReason(num) != phonenumbers.IS_POSSIBLE {
		return "", false
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	again, err := phonenumbers.Parse(e164, "")
	if err != nil || phonenumbers.IsPossibleNumberWithReason(again) != phonenumbers.IS_POSSIBLE ||
		phonenumbers.Format(again, phonenumbers.E164) != e164 || !validTelPath.MatchString(e164) {
		return "", false
	}
	return e164, true
}
