package jsonstr

import "unicode/utf8"

// Style is a way of escaping a string.
type Style uint8

const (
	// Go escapes like the engine's encoding/json-compatible writer: '"', '\\', control
	// characters (\n, \r and \t short, the rest as \u00XX), the HTML characters <, > and &,
	// and U+2028 and U+2029; each byte of invalid UTF-8 becomes \ufffd.
	Go Style = iota
	// JS escapes like JavaScript's JSON.stringify: only '"', '\\' and control characters
	// (\b, \f, \n, \r and \t short, the rest as \u00XX); everything else, including invalid
	// UTF-8, is copied as it is.
	JS
)

const hexDigits = "0123456789abcdef"

// escapes describes one Style.
type escapes struct {
	plain [utf8.RuneSelf]bool // ASCII bytes written as they are
	short [utf8.RuneSelf]byte // the letter of a two-character escape, or 0 for \u00XX
	runes bool                // decode non-ASCII text (invalid UTF-8, U+2028, U+2029)
}

var styles = [...]escapes{
	Go: newEscapes("<>&", "\n\r\t", "nrt", true),
	JS: newEscapes("", "\b\f\n\r\t", "bfnrt", false),
}

func newEscapes(alsoEscaped, shortOf, shortAs string, runes bool) escapes {
	var e escapes
	for c := 0x20; c < utf8.RuneSelf; c++ {
		e.plain[c] = true
	}
	e.plain['"'], e.plain['\\'] = false, false
	e.short['"'], e.short['\\'] = '"', '\\'
	for i := 0; i < len(alsoEscaped); i++ {
		e.plain[alsoEscaped[i]] = false
	}
	for i := 0; i < len(shortOf); i++ {
		e.short[shortOf[i]] = shortAs[i]
	}
	e.runes = runes
	return e
}

// Append appends s to b as a quoted JSON string escaped in style st.
func Append(b []byte, s string, st Style) []byte {
	e := &styles[st]
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if e.plain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			if x := e.short[c]; x != 0 {
				b = append(b, '\\', x)
			} else {
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		if !e.runes {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
