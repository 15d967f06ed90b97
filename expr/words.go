package expr

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// word is a word found in text with its byte offsets.
type word struct {
	text       string
	start, end int
}

func isWordRune(r rune) bool {
	return r == '_' || r == '\'' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || unicode.IsNumber(r)
}

// tokenizeWords splits text into words (spec §8.2): maximal runs of letters, marks, digits,
// '_' and '\”, and single symbol characters (e.g. emoji); anything else separates words.
func tokenizeWords(s string) []word {
	var words []word
	for w, i, ok := nextWord(s, 0); ok; w, i, ok = nextWord(s, i) {
		words = append(words, w)
	}
	return words
}

// nextWord returns the first word of s (as tokenizeWords splits it) that starts at byte i or
// later, and where to look for the next one; ok is false when there are no more.
func nextWord(s string, i int) (w word, next int, ok bool) {
	start := -1
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			i += size
			continue
		}
		if start >= 0 {
			return word{s[start:i], start, i}, i, true
		}
		if unicode.IsSymbol(r) {
			sym := string(r)
			return word{sym, i, i + len(sym)}, i + size, true
		}
		i += size
	}
	if start >= 0 {
		return word{s[start:], start, len(s)}, len(s), true
	}
	return word{}, len(s), false
}

// splitOnChars splits text on any of the delimiter characters, dropping empty pieces.
func splitOnChars(s, delims string) []word {
	var words []word
	start := -1
	for i, r := range s {
		if strings.ContainsRune(delims, r) {
			if start >= 0 {
				words = append(words, word{s[start:i], start, i})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		words = append(words, word{s[start:], start, len(s)})
	}
	return words
}

// wordsOf tokenizes with the delimiters when given, else (null or empty delimiters) by word
// tokenisation; migrated legacy calls pass NULL for "not by spaces".
func wordsOf(s string, delims *string) []word {
	if delims != nil && *delims != "" {
		return splitOnChars(s, *delims)
	}
	return tokenizeWords(s)
}

func wordTexts(ws []word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.text
	}
	return out
}
