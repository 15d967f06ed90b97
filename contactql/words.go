package contactql

import (
	"strings"
	"unicode"
)

// nameTokens splits a name into its words of at least minNameToken characters (bytes, as the
// reference counts). Word boundaries approximate Unicode text segmentation (UAX #29): letters,
// digits, marks and underscores form words; an apostrophe, full stop or colon between two
// letters, and a full stop or comma between two digits, stay inside a word; each ideograph or
// kana character is a word of its own.
func nameTokens(s string) []string {
	var out []string
	for _, w := range words(s) {
		if len(w) >= minNameToken {
			out = append(out, w)
		}
	}
	return out
}

// isIdeographic reports whether r is a character that is a word on its own (Han and Hiragana).
func isIdeographic(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r)
}

// isKatakana reports whether r is Katakana, whose runs form words of their own.
func isKatakana(r rune) bool { return unicode.Is(unicode.Katakana, r) }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_'
}

// words returns the words of s.
func words(s string) []string {
	rs := []rune(s)
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for i, r := range rs {
		switch {
		case isIdeographic(r):
			flush()
			out = append(out, string(r))
		case isKatakana(r):
			if i > 0 && !isKatakana(rs[i-1]) {
				flush()
			}
			cur.WriteRune(r)
		case isWordRune(r):
			if i > 0 && isKatakana(rs[i-1]) {
				flush()
			}
			cur.WriteRune(r)
		case cur.Len() > 0 && i+1 < len(rs) && joinsWord(rs[i-1], r, rs[i+1]):
			cur.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// joinsWord reports whether the punctuation mid, between prev and next, continues a word.
func joinsWord(prev, mid, next rune) bool {
	switch mid {
	case '\'', '’', '.', ':', '·':
		if unicode.IsLetter(prev) && unicode.IsLetter(next) && !isIdeographic(next) {
			return true
		}
	}
	switch mid {
	case '.', ',', ';', '\'':
		return unicode.IsDigit(prev) && unicode.IsDigit(next)
	}
	return false
}

// prefixMatch reports whether any word of query (truncated to max characters) starts any word
// of value (truncated likewise). Names are searched this way: `name ~ "mar"` finds "Maria
// Jones", as the search index's edge n-grams of up to eight characters do.
func prefixMatch(value, query string, max int) bool {
	vs, qs := nameTokens(value), nameTokens(query)
	for _, v := range vs {
		v = truncate(v, max)
		for _, q := range qs {
			if strings.HasPrefix(v, truncate(q, max)) {
				return true
			}
		}
	}
	return false
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
