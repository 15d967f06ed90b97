package jsonbody

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// TextProblem says what makes s unfit to keep as text (an id, a key, a query value, a form
// field), or "" when it is fine: neither store keeps invalid UTF-8 or NUL faithfully
// (PostgreSQL refuses them; SQLite keeps bytes that come back as invalid JSON).
func TextProblem(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return "NUL byte at offset " + strconv.Itoa(i)
	}
	if utf8.ValidString(s) {
		return ""
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return "invalid UTF-8 at offset " + strconv.Itoa(i)
		}
		i += size
	}
	return ""
}

// Short cuts s to at most n bytes (on a character boundary) for an error message, so a huge
// bad input never becomes a huge answer or log line.
func Short(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
