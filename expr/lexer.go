package expr

import (
	"unicode"
	"unicode/utf8"
)

// tokenKind classifies the tokens of an expression (spec §2.1).
type tokenKind int

const (
	tokEOF tokenKind = iota
	tokText
	tokInteger
	tokDecimal
	tokName
	tokComma
	tokLParen
	tokRParen
	tokLBracket
	tokRBracket
	tokDot
	tokArrow
	tokPlus
	tokMinus
	tokTimes
	tokDivide
	tokExponent
	tokEq
	tokNotEq
	tokLtEq
	tokLt
	tokGtEq
	tokGt
	tokAmpersand
	tokInvalid
)

// token is one lexed token; pos is its byte offset in the expression.
type token struct {
	kind tokenKind
	text string
	pos  int
}

var punctuation = []struct {
	text string
	kind tokenKind
}{
	{"=>", tokArrow}, {"!=", tokNotEq}, {"<=", tokLtEq}, {">=", tokGtEq},
	{",", tokComma}, {"(", tokLParen}, {")", tokRParen}, {"[", tokLBracket}, {"]", tokRBracket},
	{".", tokDot}, {"+", tokPlus}, {"-", tokMinus}, {"*", tokTimes}, {"/", tokDivide},
	{"^", tokExponent}, {"=", tokEq}, {"<", tokLt}, {">", tokGt}, {"&", tokAmpersand},
}

func isNameStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isNameChar(r rune) bool  { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }
func isDigit(c byte) bool     { return c >= '0' && c <= '9' }

// lex splits an expression into tokens, ending with tokEOF. An unknown character or an
// unterminated string yields a tokInvalid token, which the parser reports as a syntax error.
func lex(src string) []token {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
			continue
		case c == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				toks = append(toks, token{tokInvalid, src[i:], i})
				i = len(src)
				continue
			}
			toks = append(toks, token{tokText, src[i : j+1], i})
			i = j + 1
			continue
		case isDigit(c):
			j := i
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			kind := tokInteger
			if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) {
				j++
				for j < len(src) && isDigit(src[j]) {
					j++
				}
				kind = tokDecimal
			}
			toks = append(toks, token{kind, src[i:j], i})
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		if isNameStart(r) {
			j := i + size
			for j < len(src) {
				r2, s2 := utf8.DecodeRuneInString(src[j:])
				if !isNameChar(r2) {
					break
				}
				j += s2
			}
			toks = append(toks, token{tokName, src[i:j], i})
			i = j
			continue
		}
		matched := false
		for _, p := range punctuation {
			if len(src)-i >= len(p.text) && src[i:i+len(p.text)] == p.text {
				toks = append(toks, token{p.kind, p.text, i})
				i += len(p.text)
				matched = true
				break
			}
		}
		if !matched {
			toks = append(toks, token{tokInvalid, src[i : i+size], i})
			i += size
		}
	}
	return append(toks, token{tokEOF, "", len(src)})
}
