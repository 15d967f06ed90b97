package channel

import (
	"strings"
	"unicode/utf8"
)

// SplitText splits text into parts of at most max characters, breaking after whitespace
// where it can, as courier splits long messages; max <= 0 keeps it whole.
func SplitText(text string, max int) []string {
	if max <= 0 || utf8.RuneCountInString(text) <= max {
		return []string{text}
	}
	var parts []string
	rest := []rune(text)
	for len(rest) > max {
		cut := max
		for i := max; i > max/2; i-- {
			if isSpace(rest[i-1]) {
				cut = i
				break
			}
		}
		if p := strings.TrimSpace(string(rest[:cut])); p != "" {
			parts = append(parts, p)
		}
		rest = rest[cut:]
	}
	if p := strings.TrimSpace(string(rest)); p != "" {
		parts = append(parts, p)
	}
	return parts
}

func isSpace(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '\r' }
