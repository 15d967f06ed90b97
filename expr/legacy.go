package expr

import (
	"regexp"
	"strconv"
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

// MigrateLegacyTemplate rewrites a pre-13 template in current syntax, producing the same
// text as the reference migration: @flow.x becomes @results.x, @contact.<field> becomes
// @fields.<field>, Excel-style functions become their current equivalents, date arithmetic
// becomes datetime_add (or legacy_add when the operand types are unknown), and @("") becomes
// nothing. An expression that can't be parsed or migrated is kept as written; the result is
// still usable, and the returned error (nil when everything migrated) lists those
// expressions.
func MigrateLegacyTemplate(tpl string, opts LegacyOptions) (string, error) {
	m := &legacyMigrator{opts: opts}
	var sb strings.Builder
	var failed []string
	isRoot := func(name string) bool { return legacyRoots[strings.ToLower(name)] }
	for _, seg := range scanLegacyTemplate(tpl, isRoot) {
		switch {
		case seg.source == "":
			sb.WriteString(seg.text)
		case seg.paren && seg.text == `""`:
			// @("") was a workaround for editors that required text; it is just empty
		case seg.paren:
			n, err := parseLegacy(seg.text)
			var o lout
			if err == nil {
				o, err = m.emit(n)
			}
			if err != nil {
				failed = append(failed, seg.source)
				sb.WriteString(seg.source)
				continue
			}
			sb.WriteString(m.render(o.code, seg.source))
		default:
			sb.WriteString(m.render(m.variable(seg.text).code, seg.source))
		}
	}
	if len(failed) > 0 {
		return sb.String(), &LegacyError{Expressions: failed}
	}
	return sb.String(), nil
}

// LegacyError lists the legacy expressions that could not be migrated and were kept as
// written.
type LegacyError struct {
	Expressions []string
}

// Error names the expressions.
func (e *LegacyError) Error() string {
	return "unable to migrate legacy expressions: " + strings.Join(e.Expressions, ", ")
}

// legacySegment is a piece of a scanned legacy template.
type legacySegment struct {
	text   string // literal text, expression body or identifier
	source string // "" for literal text; else as written, with the @
	paren  bool
}

// scanLegacyTemplate splits a legacy template like scanTemplate does, but keeps @@ as written
// (it means the same in both syntaxes).
func scanLegacyTemplate(tpl string, isRoot func(string) bool) []legacySegment {
	var segs []legacySegment
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			segs = append(segs, legacySegment{text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(tpl); {
		if tpl[i] != '@' || i+1 >= len(tpl) {
			lit.WriteByte(tpl[i])
			i++
			continue
		}
		switch next := tpl[i+1]; {
		case next == '@':
			lit.WriteString("@@")
			i += 2
		case next == '(':
			end := matchParen(tpl, i+1, false)
			if end < 0 {
				lit.WriteString(tpl[i:])
				i = len(tpl)
				continue
			}
			flush()
			segs = append(segs, legacySegment{text: tpl[i+2 : end], source: tpl[i : end+1], paren: true})
			i = end + 1
		default:
			end := identifierEnd(tpl, i+1)
			ident := tpl[i+1 : end]
			first, _, _ := strings.Cut(ident, ".")
			if ident == "" || !isRoot(first) {
				lit.WriteByte('@')
				i++
				continue
			}
			flush()
			segs = append(segs, legacySegment{text: ident, source: tpl[i:end]})
			i = end
		}
	}
	flush()
	return segs
}

// currentRoots are the root names a migrated identifier can start with.
var currentRoots = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range RootNames {
		m[r] = true
	}
	return m
}()

var plainIdentifier = regexp.MustCompile(`^\pL+[\pL\pN_.]*$`)

// render writes migrated code as a template piece, applying the default-to-self and
// URL-encoding options: a plain identifier when possible, else @( ... ).
func (m *legacyMigrator) render(code, orig string) string {
	if m.opts.DefaultToSelf {
		code = "if(is_error(" + code + "), " + strconv.Quote(orig) + ", " + code + ")"
	}
	if m.opts.URLEncode {
		code = "url_encode(" + code + ")"
	}
	first, _, _ := strings.Cut(code, ".")
	if plainIdentifier.MatchString(code) && currentRoots[first] {
		return "@" + code
	}
	return "@(" + code + ")"
}
