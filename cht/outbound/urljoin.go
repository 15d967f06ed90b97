package outbound

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	plainProtocol = regexp.MustCompile(`^[^/:]+:/*$`)
	fileProtocol  = regexp.MustCompile(`^file:///`)
	protocolSlash = regexp.MustCompile(`^([^/:]+):/*`)
	slashBefore   = regexp.MustCompile(`/(\?|&|#[^!])`)
)

// URLJoin joins URL parts as url-join 4.0.1 does (CHT joins base_url and path with it): exactly
// one slash between parts, a run of trailing slashes at the end collapsed to one, the slash
// before "?" or "&" dropped, and every "?" after the first turned into "&". A part that is not a
// string (a missing path, say) is an error worded as url-join words it.
func URLJoin(parts ...Value) (string, error) {
	if len(parts) == 0 {
		return "", nil
	}
	strs := make([]string, 0, len(parts))
	for _, p := range parts {
		s, ok := p.(string)
		if !ok {
			return "", fmt.Errorf("Url must be a string. Received %s", jsString(p))
		}
		strs = append(strs, s)
	}
	if len(strs) > 1 && plainProtocol.MatchString(strs[0]) {
		strs = append([]string{strs[0] + strs[1]}, strs[2:]...)
	}
	if fileProtocol.MatchString(strs[0]) {
		strs[0] = protocolSlash.ReplaceAllString(strs[0], "$1:///")
	} else {
		strs[0] = protocolSlash.ReplaceAllString(strs[0], "$1://")
	}
	out := make([]string, 0, len(strs))
	for i, c := range strs {
		if c == "" {
			continue
		}
		if i > 0 {
			c = strings.TrimLeft(c, "/")
		}
		if i < len(strs)-1 {
			c = strings.TrimRight(c, "/")
		} else if t := strings.TrimRight(c, "/"); len(t) < len(c) {
			c = t + "/"
		}
		out = append(out, c)
	}
	s := slashBefore.ReplaceAllString(strings.Join(out, "/"), "$1")
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s = s[:i+1] + strings.ReplaceAll(s[i+1:], "?", "&")
	}
	return s, nil
}

// jsString renders a value as JavaScript's String() would, for error messages.
func jsString(v Value) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case undefinedValue:
		return "undefined"
	case string:
		return t
	case bool, float64:
		return string(Stringify(t))
	case *Object:
		return "[object Object]"
	case *Array:
		parts := make([]string, len(t.Elems))
		for i, e := range t.Elems {
			if e != nil {
				parts[i] = jsString(e)
			}
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

// undefinedValue is JavaScript's undefined where a Value slot needs to say "absent".
type undefinedValue struct{}

// Undefined is the absent value.
var Undefined Value = undefinedValue{}
