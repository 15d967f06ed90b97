package jsonstr

import (
	"encoding/json"
	"testing"
)

func TestUnquote(t *testing.T) {
	tests := []struct {
		name string
		in   string // what follows the opening quote
		mode Mode
		want string
		next int // offset after the closing quote, or where reading stopped
		f    Fault
	}{
		{"empty", `"`, 0, "", 1, None},
		{"plain", `abc" tail`, 0, "abc", 4, None},
		{"short escapes", `\"\\\/\b\f\n\r\t"`, 0, "\"\\/\b\f\n\r\t", 17, None},
		{"unicode escape", `\u0041\u00e9\u4e16"`, RejectControl, "Aé世", 19, None},
		{"upper hex", `\u00E9"`, 0, "é", 7, None},
		{"html escapes", `\u003c\u003e\u0026"`, 0, "<>&", 19, None},
		{"separators", `\u2028\u2029"`, 0, "\u2028\u2029", 13, None},
		{"raw astral", `😀"`, 0, "😀", 5, None},
		{"surrogate pair", `\ud83d\ude00"`, 0, "😀", 13, None},
		{"surrogate pair upper", `\uD834\uDD1E!"`, 0, "𝄞!", 14, None},
		{"lone high surrogate", `\ud83dx"`, 0, "\ufffdx", 8, None},
		{"lone high at end", `\ud83d"`, 0, "\ufffd", 7, None},
		{"high then letter escape", `\ud83d\u0041"`, 0, "\ufffdA", 13, None},
		{"high then high", `\ud83d\ud83d"`, 0, "\ufffd\ufffd", 13, None},
		{"lone low surrogate", `\ude00"`, 0, "\ufffd", 7, None},
		{"low then high", `\ude00\ud83d"`, 0, "\ufffd\ufffd", 13, None},
		{"high then short escape", `\ud83d\n"`, 0, "\ufffd\n", 9, None},
		{"high then bad hex", `\ud83d\u00zz"`, 0, "", 8, BadUnicodeEscape},
		{"bad escape", `ab\x"`, 0, "", 4, BadEscape},
		{"bad unicode escape", `\u12g4"`, 0, "", 2, BadUnicodeEscape},
		{"short unicode escape", `\u12`, 0, "", 2, BadUnicodeEscape},
		{"signed hex", `\u+123"`, 0, "", 2, BadUnicodeEscape},
		{"truncated escape", `ab\`, 0, "", 3, TruncatedEscape},
		{"unterminated", `abc`, 0, "", 3, Unterminated},
		{"unterminated after escape", `a\nb`, 0, "", 4, Unterminated},
		{"raw control kept", "a\x01\tb\"", 0, "a\x01\tb", 5, None},
		{"raw control kept after escape", "\\n\x1f\"", 0, "\n\x1f", 4, None},
		{"raw control rejected", "ab\x01c\"", RejectControl, "", 2, ControlChar},
		{"raw control rejected after escape", "\\n\n\"", RejectControl, "", 2, ControlChar},
		{"invalid UTF-8 kept", "a\xffb\"", ReplaceInvalidUTF8, "a\xffb", 4, None},
		{"invalid UTF-8 kept with escape", "a\xff\\nb\"", 0, "a\xff\nb", 6, None},
		{"invalid UTF-8 replaced with escape", "a\xff\xe2\x82\\nb\"", ReplaceInvalidUTF8, "a\ufffd\ufffd\ufffd\nb", 8, None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := []byte(`"` + tt.in)
			s, next, f := Unquote(b, 1, tt.mode)
			if s != tt.want || next != tt.next+1 || f != tt.f {
				t.Errorf("got %q, %d, %v; want %q, %d, %v", s, next, f, tt.want, tt.next+1, tt.f)
			}
		})
	}
}

func TestUnquoteEveryControlCharacter(t *testing.T) {
	for c := byte(0); c < 0x20; c++ {
		b := []byte{'"', 'x', c, '"'}
		if s, next, f := Unquote(b, 1, 0); s != "x"+string(c) || next != 4 || f != None {
			t.Errorf("lenient %#02x: got %q, %d, %v", c, s, next, f)
		}
		if _, next, f := Unquote(b, 1, RejectControl); next != 2 || f != ControlChar {
			t.Errorf("strict %#02x: got %d, %v", c, next, f)
		}
		for _, st := range []Style{Go, JS} {
			q := Append(nil, string(c), st)
			if s, _, f := Unquote(q, 1, RejectControl); s != string(c) || f != None {
				t.Errorf("escaped %#02x in style %d: got %q, %v", c, st, s, f)
			}
		}
	}
}

// Valid JSON strings decode as encoding/json decodes them.
func TestUnquoteMatchesEncodingJSON(t *testing.T) {
	inputs := []string{
		`"plain"`, `"\"\\\/\b\f\n\r\t"`, `"\u0000\u001f\u007f"`, `"\ud83d\ude00"`, `"\ud83d"`,
		`"\ude00\ud83d"`, `"\ud83d\u0041"`, `"é😀\u2028"`, `"a\ud800\udc00b"`,
	}
	for _, in := range inputs {
		var want string
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		for _, m := range []Mode{0, RejectControl | ReplaceInvalidUTF8} {
			if s, next, f := Unquote([]byte(in), 1, m); s != want || next != len(in) || f != None {
				t.Errorf("%s mode %d: got %q, %d, %v; want %q", in, m, s, next, f, want)
			}
		}
	}
}

func TestFaultString(t *testing.T) {
	for f, want := range map[Fault]string{
		Unterminated: "unterminated string", TruncatedEscape: "unterminated string",
		BadEscape: "bad escape", BadUnicodeEscape: `bad \u escape`, ControlChar: "control character in string",
	} {
		if f.String() != want {
			t.Errorf("%d: got %q, want %q", f, f.String(), want)
		}
	}
}

func TestUnquoteAllocs(t *testing.T) {
	b := []byte(`"plain string without escapes"`)
	if n := testing.AllocsPerRun(100, func() { Unquote(b, 1, 0) }); n > 1 {
		t.Errorf("plain string: %v allocations, want at most the string", n)
	}
}
