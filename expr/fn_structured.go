package expr

import (
	"regexp"
	"strings"
)

func init() {
	registerFuncs([]builtin{
		{FunctionInfo{Name: "json", Signature: "json(value)", Summary: "Encodes a value as JSON.", Example: `@(json(array(1, "a")))` + " → `[1,\"a\"]`"}, 1, 1, fnJSON},
		{FunctionInfo{Name: "parse_json", Signature: "parse_json(text)", Summary: "Decodes JSON text into values.", Example: `@(parse_json("[1, 2]")[1])` + " → `2`"}, 1, 1, fnParseJSON},
		{FunctionInfo{Name: "urn_parts", Signature: "urn_parts(urn)", Summary: "Splits a URN into scheme, path and display.", Example: `@(urn_parts("tel:+12065551212").scheme)` + " → `tel`"}, 1, 1, fnURNParts},
		{FunctionInfo{Name: "attachment_parts", Signature: "attachment_parts(attachment)", Summary: "Splits an attachment into content type and URL.", Example: `@(attachment_parts("image/png:http://x.com/a.png").content_type)` + " → `image/png`"}, 1, 1, fnAttachmentParts},
		{FunctionInfo{Name: "format_urn", Signature: "format_urn(urn)", Summary: "Formats a URN for display (phone numbers in national format).", Example: `@(format_urn("tel:+12065551212"))` + " → `(206) 555-1212`"}, 1, 1, fnFormatURN},
		{FunctionInfo{Name: "format_location", Signature: "format_location(path)", Summary: "Returns the last component of a location path.", Example: `@(format_location("Rwanda > Kigali"))` + " → `Kigali`"}, 1, 1, fnFormatLocation},
		{FunctionInfo{Name: "read_chars", Signature: "read_chars(text)", Summary: "Spells out characters for text-to-speech.", Example: `@(read_chars("123456"))` + " → `1 2 3 , 4 5 6`"}, 1, 1, fnReadChars},
	})
}

// fnJSON encodes its argument as JSON.
func fnJSON(env *Environment, args []Value) Value {
	b, err := ToJSON(args[0])
	if err != nil {
		return err
	}
	return Text(b)
}

// fnParseJSON decodes JSON text.
func fnParseJSON(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	v, jerr := FromJSON([]byte(s))
	if jerr != nil {
		return NewError("invalid JSON")
	}
	return v
}

// urn is a parsed URN.
type urn struct{ scheme, path, query, display string }

var urnScheme = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// parseURN splits scheme:path?query#display, with the reference's validation messages.
func parseURN(s string) (urn, *Error) {
	var u urn
	rest := s
	if i := strings.IndexByte(rest, ':'); i >= 0 {
		u.scheme, rest = rest[:i], rest[i+1:]
	} else {
		rest = ""
	}
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		u.display, rest = rest[i+1:], rest[:i]
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		u.query, rest = rest[i+1:], rest[:i]
	}
	u.path = rest
	switch {
	case u.path == "":
		return u, Errorf("%s is not a valid URN: path cannot be empty", s)
	case !urnScheme.MatchString(u.scheme):
		return u, Errorf("%s is not a valid URN: invalid scheme", s)
	}
	return u, nil
}

// fnURNParts splits a URN into an object.
func fnURNParts(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	u, err := parseURN(s)
	if err != nil {
		return err
	}
	return NewObject().Set("scheme", Text(u.scheme)).Set("path", Text(u.path)).Set("display", Text(u.display))
}

var mimeType = regexp.MustCompile(`^[a-zA-Z0-9.+-]+/[a-zA-Z0-9.+-]+$`)

// fnAttachmentParts splits "content-type:url".
func fnAttachmentParts(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	ctype, url := "", s
	if i := strings.IndexByte(s, ':'); i >= 0 {
		prefix, rest := s[:i], s[i+1:]
		if mimeType.MatchString(prefix) || (!strings.HasPrefix(rest, "//") && prefix != "") {
			ctype, url = prefix, rest
		}
	}
	return NewObject().Set("content_type", Text(ctype)).Set("url", Text(url))
}

// FormatURN returns a URN's display form: national format for phone numbers, else the
// display name, else the path.
func FormatURN(s string) (string, *Error) {
	u, err := parseURN(s)
	if err != nil {
		return "", err
	}
	if u.scheme == "tel" {
		return formatPhone(u.path), nil
	}
	if u.display != "" {
		return u.display, nil
	}
	return u.path, nil
}

// fnFormatURN formats a URN for display.
func fnFormatURN(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	out, err := FormatURN(s)
	if err != nil {
		return err
	}
	return Text(out)
}

// fnFormatLocation returns the last component of "A > B > C".
func fnFormatLocation(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	parts := strings.Split(s, ">")
	return Text(strings.TrimSpace(parts[len(parts)-1]))
}

// fnReadChars spells out characters in groups for text-to-speech.
func fnReadChars(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	chars := []rune(strings.TrimPrefix(s, "+"))
	if len(chars) == 0 {
		return Text("")
	}
	size := 1
	switch {
	case len(chars)%3 == 0:
		size = 3
	case len(chars)%4 == 0:
		size = 4
	}
	var groups []string
	for i := 0; i < len(chars); i += size {
		letters := make([]string, size)
		for j := range letters {
			letters[j] = string(chars[i+j])
		}
		groups = append(groups, strings.Join(letters, " "))
	}
	return Text(strings.Join(groups, " , "))
}
