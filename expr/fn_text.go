package expr

import (
	"html"
	"math"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

func init() {
	registerFuncs([]builtin{
		{FunctionInfo{Name: "char", Signature: "char(code)", Summary: "Returns the character with the given Unicode code point.", Example: `@(char(65))` + " → `A`"}, 1, 1, fnChar},
		{FunctionInfo{Name: "code", Signature: "code(text)", Summary: "Returns the code point of the first character.", Example: `@(code("A"))` + " → `65`"}, 1, 1, fnCode},
		{FunctionInfo{Name: "trim", Signature: "trim(text [, chars])", Summary: "Removes whitespace (or the given characters) from both ends.", Example: `@(trim("  hi "))` + " → `hi`"}, 1, 2, trimmer(strings.TrimSpace, strings.Trim)},
		{FunctionInfo{Name: "trim_left", Signature: "trim_left(text [, chars])", Summary: "Removes whitespace (or the given characters) from the start.", Example: `@(trim_left("  hi"))` + " → `hi`"}, 1, 2, trimmer(func(s string) string { return strings.TrimLeftFunc(s, unicode.IsSpace) }, strings.TrimLeft)},
		{FunctionInfo{Name: "trim_right", Signature: "trim_right(text [, chars])", Summary: "Removes whitespace (or the given characters) from the end.", Example: `@(trim_right("hi  "))` + " → `hi`"}, 1, 2, trimmer(func(s string) string { return strings.TrimRightFunc(s, unicode.IsSpace) }, strings.TrimRight)},
		{FunctionInfo{Name: "title", Signature: "title(text)", Summary: "Capitalises the first letter of every word.", Example: `@(title("hello world"))` + " → `Hello World`"}, 1, 1, fnTitle},
		{FunctionInfo{Name: "clean", Signature: "clean(text)", Summary: "Removes control and non-printable characters.", Example: `@(clean("a\tb"))` + " → `ab`"}, 1, 1, fnClean},
		{FunctionInfo{Name: "text_slice", Signature: "text_slice(text, start [, end])", Summary: "Returns the characters from start to end-1 (negative indexes count from the end).", Example: `@(text_slice("hello", 1, 3))` + " → `el`"}, 2, 3, fnTextSlice},
		{FunctionInfo{Name: "lower", Signature: "lower(text)", Summary: "Converts text to lowercase.", Example: `@(lower("ABC"))` + " → `abc`"}, 1, 1, caseMapper(strings.ToLower)},
		{FunctionInfo{Name: "upper", Signature: "upper(text)", Summary: "Converts text to uppercase.", Example: `@(upper("abc"))` + " → `ABC`"}, 1, 1, caseMapper(upperSimple)},
		{FunctionInfo{Name: "regex_match", Signature: "regex_match(text, pattern [, group])", Summary: "Returns the first match of a regular expression, or one of its groups.", Example: `@(regex_match("abc 123", "\d+"))` + " → `123`"}, 2, 3, fnRegexMatch},
		{FunctionInfo{Name: "text_length", Signature: "text_length(value)", Summary: "Returns the length in characters of the value as text.", Example: `@(text_length("abc"))` + " → `3`"}, 1, 1, fnTextLength},
		{FunctionInfo{Name: "text_compare", Signature: "text_compare(text1, text2)", Summary: "Compares two texts byte-wise: -1, 0 or 1.", Example: `@(text_compare("a", "b"))` + " → `-1`"}, 2, 2, fnTextCompare},
		{FunctionInfo{Name: "repeat", Signature: "repeat(text, count)", Summary: "Repeats text count times.", Example: `@(repeat("ab", 2))` + " → `abab`"}, 2, 2, fnRepeat},
		{FunctionInfo{Name: "replace", Signature: "replace(text, needle, replacement [, count])", Summary: "Replaces occurrences of needle (all, or the first count).", Example: `@(replace("aaa", "a", "b", 2))` + " → `bba`"}, 3, 4, fnReplace},
		{FunctionInfo{Name: "percent", Signature: "percent(number)", Summary: "Formats a number as a whole percentage.", Example: `@(percent(0.256))` + " → `26%`"}, 1, 1, fnPercent},
		{FunctionInfo{Name: "url_encode", Signature: "url_encode(text)", Summary: "Encodes text for use in a URL query.", Example: `@(url_encode("a b"))` + " → `a%20b`"}, 1, 1, fnURLEncode},
		{FunctionInfo{Name: "html_decode", Signature: "html_decode(text)", Summary: "Decodes HTML entities.", Example: `@(html_decode("&lt;b&gt;"))` + " → `<b>`"}, 1, 1, fnHTMLDecode},
	})
}

// fnChar returns the character with a code point (invalid ones give U+FFFD).
func fnChar(env *Environment, args []Value) Value {
	c, err := ToInteger(env, args[0])
	if err != nil {
		return err
	}
	r := rune(c)
	if !utf8.ValidRune(r) {
		r = utf8.RuneError
	}
	return Text(string(r))
}

// fnCode returns the first character's code point.
func fnCode(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	if s == "" {
		return NewError("requires a string of at least one character")
	}
	r, _ := utf8.DecodeRuneInString(s)
	return NumberFromInt(int64(r))
}

// trimmer builds trim, trim_left and trim_right.
func trimmer(spaces func(string) string, chars func(string, string) string) func(*Environment, []Value) Value {
	return func(env *Environment, args []Value) Value {
		s, err := ToText(env, args[0])
		if err != nil {
			return err
		}
		set, err := optText(env, args, 1)
		if err != nil {
			return err
		}
		if set == nil {
			return Text(spaces(s))
		}
		return Text(chars(s, *set))
	}
}

// caseMapper builds lower and upper.
func caseMapper(f func(string) string) func(*Environment, []Value) Value {
	return func(env *Environment, args []Value) Value {
		s, err := ToText(env, args[0])
		if err != nil {
			return err
		}
		return Text(f(s))
	}
}

// upperSimple uppercases with simple (one-to-one) case mapping, so ß stays ß.
func upperSimple(s string) string { return strings.Map(unicode.ToUpper, s) }

// fnTitle lowercases text then capitalises each letter that starts a word.
func fnTitle(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	var sb strings.Builder
	prevWord := false
	for _, r := range strings.ToLower(s) {
		if !prevWord {
			r = unicode.ToTitle(r)
		}
		sb.WriteRune(r)
		prevWord = r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return Text(sb.String())
}

// fnClean removes control and other non-printable (Unicode category C) characters.
func fnClean(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	return Text(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.C, r) { // control, format, private use, surrogates
			return -1
		}
		return r
	}, s))
}

// sliceBounds applies Python-style slicing to a length.
func sliceBounds(n, start, end int) (int, int) {
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start = max(0, min(start, n))
	end = max(0, min(end, n))
	if end < start {
		end = start
	}
	return start, end
}

// fnTextSlice slices text by characters.
func fnTextSlice(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	runes := []rune(s)
	start, err := ToInteger(env, args[1])
	if err != nil {
		return err
	}
	end, err := optInt(env, args, 2, len(runes))
	if err != nil {
		return err
	}
	a, b := sliceBounds(len(runes), start, end)
	return Text(string(runes[a:b]))
}

// fnRegexMatch returns the first match (or a group of it) of a case-insensitive regex.
func fnRegexMatch(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	pattern, err := ToText(env, args[1])
	if err != nil {
		return err
	}
	group, err := optInt(env, args, 2, 0)
	if err != nil {
		return err
	}
	re, rerr := regexp.Compile("(?mi)" + pattern)
	if rerr != nil {
		return NewError("invalid regular expression")
	}
	m := re.FindStringSubmatch(s)
	if group < 0 || group >= len(m) {
		return NewError("invalid regular expression group")
	}
	return Text(m[group])
}

// fnTextLength counts the characters of the value as text.
func fnTextLength(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	return NumberFromInt(int64(utf8.RuneCountInString(s)))
}

// fnTextCompare compares two texts byte-wise.
func fnTextCompare(env *Environment, args []Value) Value {
	ts, err := texts(env, args)
	if err != nil {
		return err
	}
	return NumberFromInt(int64(strings.Compare(ts[0], ts[1])))
}

// fnRepeat repeats text, refusing results over the environment's maximum value length.
func fnRepeat(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	n, err := ToInteger(env, args[1])
	if err != nil {
		return err
	}
	if n < 0 {
		return Errorf("must be called with a positive integer, got %d", n)
	}
	limit := env.maxValueLength()
	if n > 0 && utf8.RuneCountInString(s) > limit/n {
		return Errorf("cannot build a string longer than %d characters", limit)
	}
	return Text(strings.Repeat(s, n))
}

// fnReplace replaces occurrences of a needle.
func fnReplace(env *Environment, args []Value) Value {
	ts, err := texts(env, args[:3])
	if err != nil {
		return err
	}
	count, err := optInt(env, args, 3, -1)
	if err != nil {
		return err
	}
	if count < 0 {
		count = -1
	}
	// refuse before building a result far beyond anything a message can hold
	n := strings.Count(ts[0], ts[1])
	if ts[1] == "" {
		n = utf8.RuneCountInString(ts[0]) + 1
	}
	if count >= 0 && count < n {
		n = count
	}
	if grow := n * (len(ts[2]) - len(ts[1])); grow > 0 && len(ts[0])+grow > env.budget() {
		return errTooComplex
	}
	return Text(strings.Replace(ts[0], ts[1], ts[2], count))
}

// fnPercent formats a number as a rounded percentage.
func fnPercent(env *Environment, args []Value) Value {
	d, err := ToNumber(env, args[0])
	if err != nil {
		return err
	}
	p := d.Mul(decimal.NewFromInt(100)).Round(0)
	if p.GreaterThan(decimal.NewFromInt(math.MaxInt64)) || p.LessThan(decimal.NewFromInt(math.MinInt64)) {
		return NewError("percentage value is out of range")
	}
	return Text(p.String() + "%")
}

// fnURLEncode query-escapes text with spaces as %20.
func fnURLEncode(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	return Text(strings.ReplaceAll(url.QueryEscape(s), "+", "%20"))
}

// fnHTMLDecode decodes HTML entities.
func fnHTMLDecode(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	// &nbsp; decodes to a non-breaking space, which messages want as a plain one
	return Text(strings.ReplaceAll(html.UnescapeString(s), "\u00a0", " "))
}
