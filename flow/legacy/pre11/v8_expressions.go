package pre11

import (
	"regexp"
	"strings"
	"unicode"
)

// Version 8 moved templates from "=EXPR" and filter-style "@contact.name|upper_case" to
// "@(...)" expressions.

func init() { register("8", migration{flow: (*migrator).expressions}) }

// topLevels are the context roots the old syntax let expressions start with.
var topLevels = []string{"channel", "contact", "date", "extra", "flow", "step", "parent", "child"}

// filterFuncs turn a filter into a function call around {0} (with {1} its parameter).
var filterFuncs = map[string]string{
	"lower_case": "LOWER({0})", "upper_case": "UPPER({0})", "capitalize": "PROPER({0})",
	"title_case": "PROPER({0})", "first_word": "FIRST_WORD({0})", "remove_first_word": "REMOVE_FIRST_WORD({0})",
	"read_digits": "READ_DIGITS({0})", "time_delta": "{0} + {1}",
}

func (m *migrator) expressions(f map[string]any) (map[string]any, error) {
	mapActions(f, cleanseGroupNames)
	for _, rs := range objects(f["rule_sets"]) {
		for _, rule := range objects(rs["rules"]) {
			rule["test"] = migrateStrings(rule["test"])
		}
		for _, key := range []string{"operand", "webhook"} {
			if s := str(rs[key]); s != "" {
				rs[key] = migrateV7Template(s)
			}
		}
	}
	for _, as := range objects(f["action_sets"]) {
		acts := list(as["actions"])
		for i := range acts {
			acts[i] = migrateStrings(acts[i])
		}
	}
	return f, nil
}

// migrateStrings migrates every string inside a value.
func migrateStrings(v any) any {
	switch x := v.(type) {
	case string:
		return migrateV7Template(x)
	case []any:
		for i := range x {
			x[i] = migrateStrings(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = migrateStrings(x[k])
		}
	}
	return v
}

func migrateV7Template(s string) string {
	if strings.Contains(s, "=") {
		s = replaceEqualsStyle(s)
	}
	if strings.Contains(s, "@") && strings.Contains(s, "|") {
		s = replaceFilterStyle(s)
	}
	return s
}

// filterStyleRE finds @a.b|filter:"param" references and bare @contact|filter ones.
var filterStyleRE = regexp.MustCompile(`@([\w]+[\.][\w\.\|]*[\w](:("[^"]*"|'[^']*'))?|(?:` + strings.Join(topLevels, `|`) + `)[\|\w]*)`)

func replaceFilterStyle(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range filterStyleRE.FindAllStringSubmatchIndex(s, -1) {
		// \B@: the @ must not follow a word character
		if loc[0] > 0 && isWordByte(s[loc[0]-1]) {
			continue
		}
		expr := s[loc[2]:loc[3]]
		out := convertFilterStyle(expr)
		if strings.Contains(expr, "|") {
			out = "(" + out + ")"
		}
		b.WriteString(s[last:loc[0]])
		b.WriteString("@" + out)
		last = loc[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// convertFilterStyle turns item|filter1|filter2:param into nested calls.
func convertFilterStyle(expr string) string {
	if !strings.Contains(expr, "|") {
		return expr
	}
	parts := strings.Split(expr, "|")
	out := parts[0]
	for _, filter := range parts[1:] {
		name, param, _ := strings.Cut(filter, ":")
		if len(param) >= 2 && (param[0] == '"' || param[0] == '\'') {
			param = param[1 : len(param)-1]
		}
		if repl, ok := filterFuncs[strings.ToLower(name)]; ok {
			out = strings.ReplaceAll(strings.ReplaceAll(repl, "{0}", out), "{1}", param)
		}
	}
	return strings.ReplaceAll(out, "+ -", "- ")
}

// replaceEqualsStyle rewrites =EXPR expressions as @EXPR, scanning as RapidPro did: an
// identifier (=contact.name), a function call (=SUM(1, 2)) or a parenthesized expression
// (=(1 + 2)); a bare identifier must start with a known top level.
func replaceEqualsStyle(s string) string {
	const (
		body = iota
		prefix
		ident
		balanced
		literal
	)
	rs := []rune(s)
	var out, cur []rune
	state, depth := body, 0
	wordAt := func(i int) bool {
		return i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]) || rs[i] == '_')
	}
	for i, ch := range rs {
		done := false
		switch state {
		case body:
			if ch == '=' && (wordAt(i+1) || (i+1 < len(rs) && rs[i+1] == '(')) {
				state, cur = prefix, []rune{ch}
			} else {
				out = append(out, ch)
			}
		case prefix:
			if wordAt(i) {
				state = ident
			} else if ch == '(' {
				state, depth = balanced, depth+1
			}
			cur = append(cur, ch)
		case ident:
			if ch == '(' {
				state, depth = balanced, depth+1
			}
			cur = append(cur, ch)
		case balanced:
			switch ch {
			case '(':
				depth++
			case ')':
				depth--
			case '"':
				state = literal
			}
			cur = append(cur, ch)
			done = depth == 0
		case literal:
			if ch == '"' {
				state = balanced
			}
			cur = append(cur, ch)
		}
		if state == ident {
			next := i + 1
			if next >= len(rs) || (!wordAt(next) && rs[next] != '.' && rs[next] != '(') || (rs[next] == '.' && !wordAt(next+1)) {
				done = true
			}
		}
		if done {
			out = append(out, []rune(equalsExpression(string(cur)))...)
			cur, state = nil, body
		}
	}
	// an expression left open at the end of the text is dropped, as RapidPro's scanner does
	return string(out)
}

func equalsExpression(expr string) string {
	body := expr[1:]
	if !strings.HasSuffix(body, ")") {
		top, _, _ := strings.Cut(body, ".")
		known := false
		for _, t := range topLevels {
			known = known || strings.ToLower(top) == t
		}
		if !known {
			return expr
		}
	}
	return "@" + convertEqualsStyle(body)
}

// embeddedFilterRE finds @ references (optionally quoted) inside an equals expression.
var embeddedFilterRE = regexp.MustCompile(`(")?@((?:` + strings.Join(topLevels, `|`) + `)[\.\w\|]*)(")?`)

// convertEqualsStyle wraps a function expression in parentheses (unless it is one already), turning any filter-style
// references users put inside it into calls.
func convertEqualsStyle(expr string) string {
	if !strings.Contains(expr, "(") {
		return expr
	}
	expr = embeddedFilterRE.ReplaceAllStringFunc(expr, func(m string) string {
		sub := embeddedFilterRE.FindStringSubmatch(m)
		// an opening quote is dropped with the reference; a closing one only pairs with it
		if sub[1] == "" && sub[3] != "" {
			return convertFilterStyle(sub[2]) + sub[3]
		}
		return convertFilterStyle(sub[2])
	})
	if !strings.HasPrefix(expr, "(") {
		expr = "(" + expr + ")"
	}
	return expr
}
