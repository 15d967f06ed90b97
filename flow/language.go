package flow

import "golang.org/x/text/language"

// ValidLanguage reports whether code is an ISO 639-3 language code (or one of the special codes
// und and mul), which is what flow languages and localization keys must be.
func ValidLanguage(code string) bool {
	if len(code) != 3 {
		return false
	}
	if code == "und" || code == "mul" {
		return true
	}
	b, err := language.ParseBase(code)
	if err != nil {
		return false
	}
	return b.ISO3() == code
}
