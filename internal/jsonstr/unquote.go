package jsonstr

import (
	"unicode/utf16"
	"unicode/utf8"
)

// Mode says how Unquote treats input that the two readers handle differently.
type Mode uint8

const (
	// RejectControl makes a raw control character (below U+0020) in the string a fault, as
	// JSON requires; without it such characters are kept as they are.
	RejectControl Mode = 1 << iota
	// ReplaceInvalidUTF8 turns each byte of invalid UTF-8 into U+FFFD, as encoding/json does,
	// but only in a string that holds an escape: a string without one is returned as it stands,
	// so the common case costs no validation.
	ReplaceInvalidUTF8
)

// Fault is why a string could not be read.
type Fault uint8

const (
	// None means the string was read.
	None Fault = iota
	// Unterminated means the input ended before the closing quote.
	Unterminated
	// TruncatedEscape means the input ended right after a backslash.
	TruncatedEscape
	// BadEscape means a backslash was followed by a character JSON does not allow there.
	BadEscape
	// BadUnicodeEscape means \u was not followed by four hex digits.
	BadUnicodeEscape
	// ControlChar means a raw control character, under RejectControl.
	ControlChar
)

// String describes the fault in a few words.
func (f Fault) String() string {
	switch f {
	case None:
		return "no fault"
	case Unterminated, TruncatedEscape:
		return "unterminated string"
	case BadEscape:
		return "bad escape"
	case BadUnicodeEscape:
		return `bad \u escape`
	case ControlChar:
		return "control character in string"
	}
	return "unknown fault"
}

// stop lists the bytes that end the quick scan of a string: its end, an escape and, under
// RejectControl, a control character.
var stop = [2][256]bool{}

func init() {
	for _, t := range []*[256]bool{&stop[0], &stop[1]} {
		t['"'], t['\\'] = true, true
	}
	for c := 0; c < 0x20; c++ {
		stop[1][c] = true
	}
}

// Unquote reads the JSON string whose first byte after the opening quote is b[i]. It returns
// the string and the offset just past its closing quote; if the string cannot be read it
// returns the fault and the offset where reading stopped. A \u escape of a lone surrogate, or of
// a surrogate pair that does not combine, becomes U+FFFD, since Go strings hold no surrogates.
func Unquote(b []byte, i int, m Mode) (s string, next int, f Fault) {
	t := &stop[0]
	if m&RejectControl != 0 {
		t = &stop[1]
	}
	start := i
	for i < len(b) && !t[b[i]] {
		i++
	}
	if i < len(b) && b[i] == '"' {
		return string(b[start:i]), i + 1, None
	}
	return unquoteSlow(b, start, i, m)
}

// unquoteSlow goes on from b[i], the first escape or control character of the string that
// starts at b[start].
func unquoteSlow(b []byte, start, i int, m Mode) (string, int, Fault) {
	out := append([]byte(nil), b[start:i]...)
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			if m&ReplaceInvalidUTF8 != 0 && !utf8.Valid(out) {
				out = []byte(string([]rune(string(out))))
			}
			return string(out), i + 1, None
		case c < 0x20 && m&RejectControl != 0:
			return "", i, ControlChar
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(b) {
			return "", len(b), TruncatedEscape
		}
		e := b[i+1]
		i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(b, i)
			if !ok {
				return "", i, BadUnicodeEscape
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if i+1 < len(b) && b[i] == '\\' && b[i+1] == 'u' {
					if r2, ok := hex4(b, i+2); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							out = utf8.AppendRune(out, d)
							i += 6
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", i, BadEscape
		}
	}
	return "", len(b), Unterminated
}

// hex4 decodes the four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
