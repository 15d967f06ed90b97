package contactql

import (
	"strings"
	"unicode"
)

// tokenKind classifies a token. The set and the way words are split follow the reference
// grammar, so the same texts parse (or fail) in the same places.
type tokenKind int

const (
	tokEOF        tokenKind = iota
	tokLParen               // (
	tokRParen               // )
	tokAnd                  // AND, any case
	tokOr                   // OR, any case
	tokComparator           // = != ~ > >= < <= and the words HAS and IS
	tokString               // "quoted", with \" escapes
	tokProperty             // a word that could name a property: [type.]key of letters, digits, _
	tokText                 // any other run of letters, digits and _ . - + / ' @ :
	tokError                // a character nothing else accepts
)

// token is one lexeme and its source text.
type token struct {
	kind tokenKind
	text string
}

// describe names the token the way syntax errors quote it.
func (t token) describe() string {
	if t.kind == tokEOF {
		return "<EOF>"
	}
	return t.text
}

// isKeyword reports whether a word lexes as AND, OR or a word comparator rather than as a name.
func isKeyword(w string) bool {
	switch strings.ToLower(w) {
	case "and", "or", "has", "is":
		return true
	}
	return false
}

// isKeyChar reports whether r may be part of a property name. Combining marks are accepted
// too (the reference's tables leave them out, so names in scripts such as Devanagari fail to
// lex there); that only turns its syntax errors into working queries.
func isKeyChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_'
}

// isTextChar reports whether r may be part of a bare value.
func isTextChar(r rune) bool { return isKeyChar(r) || strings.ContainsRune(".-+/'@:", r) }

// lex splits a query into tokens. Like the reference's generated lexer it takes the longest
// match at each point and, between matches of equal length, prefers keywords, then property
// names, then plain text.
func lex(q string) []token {
	rs := []rune(q)
	var toks []token
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			i++
			continue
		case r == '(':
			toks = append(toks, token{tokLParen, "("})
			i++
			continue
		case r == ')':
			toks = append(toks, token{tokRParen, ")"})
			i++
			continue
		case r == '"':
			if end := stringEnd(rs, i); end > 0 {
				toks = append(toks, token{tokString, string(rs[i:end])})
				i = end
				continue
			}
		case r == '=' || r == '~':
			toks = append(toks, token{tokComparator, string(r)})
			i++
			continue
		case r == '!' || r == '<' || r == '>':
			if i+1 < len(rs) && rs[i+1] == '=' {
				toks = append(toks, token{tokComparator, string(rs[i : i+2])})
				i += 2
				continue
			}
			if r != '!' {
				toks = append(toks, token{tokComparator, string(r)})
				i++
				continue
			}
		case isTextChar(r):
			tok, n := lexWord(rs[i:])
			toks = append(toks, tok)
			i += n
			continue
		}
		toks = append(toks, token{tokError, string(r)})
		i++
	}
	return append(toks, token{kind: tokEOF})
}

// stringEnd returns the index just past the closing quote of the string starting at rs[start],
// or 0 when there is none. A backslash escapes the character after it, so every string the
// canonical form writes (Go quoting) reads back as itself. Failing that, the reference's rule
// applies: a quote preceded by a backslash may either close the string or be part of it, and
// the longest reading wins. The two differ only for strings with a backslash before the
// closing quote, where the reference's reading swallows what follows.
func stringEnd(rs []rune, start int) int {
	for k := start + 1; k < len(rs); k++ {
		switch rs[k] {
		case '\\':
			k++
		case '"':
			return k + 1
		}
	}
	end := 0
	for k := start + 1; k < len(rs); k++ {
		if rs[k] != '"' {
			continue
		}
		end = k + 1
		if rs[k-1] != '\\' || k-1 == start {
			break
		}
	}
	return end
}

// lexWord reads a word at the start of rs and returns its token and length in runes.
func lexWord(rs []rune) (token, int) {
	textLen := 0
	for textLen < len(rs) && isTextChar(rs[textLen]) {
		textLen++
	}
	keyLen := 0
	for keyLen < len(rs) && isKeyChar(rs[keyLen]) {
		keyLen++
	}
	propLen := keyLen
	// a property may carry a type prefix of letters only: fields.age, urns.tel
	letters := 0
	for letters < len(rs) && unicode.IsLetter(rs[letters]) {
		letters++
	}
	if letters > 0 && letters < len(rs) && rs[letters] == '.' {
		k := letters + 1
		for k < len(rs) && isKeyChar(rs[k]) {
			k++
		}
		if k > letters+1 && k > propLen {
			propLen = k
		}
	}
	switch {
	case propLen == textLen && isKeyword(string(rs[:propLen])):
		word := string(rs[:propLen])
		switch strings.ToLower(word) {
		case "and":
			return token{tokAnd, word}, propLen
		case "or":
			return token{tokOr, word}, propLen
		}
		return token{tokComparator, word}, propLen
	case propLen == textLen:
		return token{tokProperty, string(rs[:propLen])}, propLen
	}
	return token{tokText, string(rs[:textLen])}, textLen
}
