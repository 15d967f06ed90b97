package expr

import (
	"strings"
	"unicode"
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
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			words = append(words, word{s[start:i], start, i})
			start = -1
		}
		if unicode.IsSymbol(r) {
			words = append(words, word{string(r), i, i + len(string(r))})
		}
	}
	if start >= 0 {
		words = append(words, word{s[start:], start, len(s)})
	}
	return words
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
