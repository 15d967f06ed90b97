package expr

import (
	"regexp"
	"strings"
)

// LegacyOptions change how a legacy template is migrated.
type LegacyOptions struct {
	// URLEncode wraps every inserted value in url_encode() (legacy webhook URLs).
	URLEncode bool
	// DefaultToSelf makes an expression that errors evaluate to its own original text, as
	// legacy expression rulesets did: @(if(is_error(X), "@orig", X)).
	DefaultToSelf bool
	// RawDates keeps @date.today and friends as date values instead of formatted text (for
	// date tests).
	RawDates bool
}

var legacyIdentifier = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)*`)

// currentRoots are the root names a migrated identifier can start with.
var currentRoots = map[string]bool{
	"contact": true, "fields": true, "urns": true, "results": true, "input": true, "parent": true,
	"child": true, "run": true, "legacy_extra": true, "trigger": true, "webhook": true, "globals": true,
}

var simplePath = regexp.MustCompile(`^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$`)

// MigrateLegacyTemplate rewrites a pre-13 template in current syntax: @flow.x becomes
// @results.x, @contact.<field> becomes @fields.<field>, Excel-style functions become their
// current equivalents, and date arithmetic becomes datetime_add or legacy_add. Expressions
// that don't parse as legacy expressions are kept as written. It never fails on content;
// the error result is reserved for the caller-facing contract.
func MigrateLegacyTemplate(tpl string, opts LegacyOptions) (string, error) {
	m := &legacyMigrator{opts: opts}
	var sb strings.Builder
	i := 0
	for i < len(tpl) {
		c := tpl[i]
		if c != '@' || i+1 >= len(tpl) {
			sb.WriteByte(c)
			i++
			continue
		}
		next := tpl[i+1]
		switch {
		case next == '@':
			sb.WriteString("@@")
			i += 2
		case next == '(':
			end := matchLegacyParen(tpl, i+1)
			if end < 0 {
				sb.WriteString(tpl[i:])
				i = len(tpl)
				continue
			}
			orig := tpl[i : end+1]
			n, err := parseLegacy(tpl[i+2 : end])
			if err != nil {
				sb.WriteString(orig)
			} else if lit, isText := n.(*lString); isText && !opts.URLEncode && !opts.DefaultToSelf {
				// a bare text literal is just text
				sb.WriteString(strings.ReplaceAll(lit.val, "@", "@@"))
			} else {
				sb.WriteString(m.render(m.emit(n), orig))
			}
			i = end + 1
		default:
			ident := strings.TrimRight(legacyIdentifier.FindString(tpl[i+1:]), ".")
			root := strings.ToLower(strings.SplitN(ident, ".", 2)[0])
			if ident == "" || !legacyRoots[root] {
				sb.WriteByte('@')
				i++
				continue
			}
			orig := tpl[i : i+1+len(ident)]
			sb.WriteString(m.render(m.variable(strings.Split(strings.ToLower(ident), ".")), orig))
			i += 1 + len(ident)
		}
	}
	return sb.String(), nil
}

// render writes migrated code as a template piece: a plain identifier when possible, else
// @( ... ), applying the URL-encoding and default-to-self options.
func (m *legacyMigrator) render(o lout, orig string) string {
	code := o.code
	if m.opts.DefaultToSelf {
		code = "if(is_error(" + code + "), " + quoteTemplate(orig) + ", " + code + ")"
	} else if m.opts.URLEncode {
		code = "url_encode(" + code + ")"
	}
	if simplePath.MatchString(code) && currentRoots[strings.SplitN(code, ".", 2)[0]] {
		return "@" + code
	}
	return "@(" + code + ")"
}

// quoteTemplate quotes text as an expression literal.
func quoteTemplate(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// matchLegacyParen finds the ')' closing the '(' at open, skipping legacy text literals
// (where "" is an escaped quote), or -1.
func matchLegacyParen(s string, open int) int {
	depth := 0
	inText := false
	for i := open; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			inText = !inText
		case inText:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
