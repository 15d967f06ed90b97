package jsonbody

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	cases := []struct {
		name string
		body string
		lim  Limits
		err  string // "" when the body is accepted
	}{
		{"Object", `{"a":[1,-2.5e+3,true,false,null,"x\u00e9\ud83d\ude00"]}`, Limits{}, ""},
		{"SpaceAround", " \n[1, 2]\t ", Limits{}, ""},
		{"ZeroAndFractions", `[0,0.5,-0,1E9,2e-3]`, Limits{}, ""},
		{"EmptyRefused", "  ", Limits{}, "empty body where JSON was expected at offset 2"},
		{"EmptyAllowed", "", Limits{AllowEmpty: true}, ""},
		{"TrailingGarbage", `{"a":1} x`, Limits{}, `unexpected data after the JSON value at offset 8`},
		{"TwoValues", `{}{}`, Limits{}, `unexpected data after the JSON value at offset 2`},
		{"DuplicateKey", `{"a":1,"b":{"c":1,"c":2}}`, Limits{}, `duplicate key "c" at offset 18`},
		{"DuplicateKeyByEscape", `{"a":1,"\u0061":2}`, Limits{}, `duplicate key "a" at offset 7`},
		{"SameKeyInSiblingsIsFine", `[{"a":1},{"a":2}]`, Limits{}, ""},
		{"DuplicateKeyLax", `{"a":1,"a":2}`, Limits{Lax: true}, ""},
		{"InvalidUTF8", "{\"a\":\"\xff\"}", Limits{}, "invalid UTF-8 at offset 6"},
		{"InvalidUTF8Lax", "{\"a\":\"\xc3\x28\"}", Limits{Lax: true}, "invalid UTF-8 at offset 6"},
		{"SurrogateBytes", "\"\xed\xa0\x80\"", Limits{}, "invalid UTF-8 at offset 1"},
		{"OverlongUTF8", "\"\xc0\xaf\"", Limits{}, "invalid UTF-8 at offset 1"},
		{"RawNUL", "\"a\x00\"", Limits{}, "NUL byte in a string at offset 2"},
		{"EscapedNUL", `{"a\u0000":1}`, Limits{}, `NUL character (\u0000) in a string at offset 3`},
		{"EscapedNULLax", `{"a":"\u0000"}`, Limits{Lax: true}, ""},
		{"LoneHighSurrogate", `"\ud800x"`, Limits{}, `lone UTF-16 surrogate \uD800 in a string at offset 1`},
		{"LoneLowSurrogate", `"\udc00"`, Limits{}, `lone UTF-16 surrogate \uDC00 in a string at offset 1`},
		{"ControlCharacter", "\"a\tb\"", Limits{}, "control character 0x09 in a string (escape it) at offset 2"},
		{"BadEscape", `"\x"`, Limits{}, `invalid escape \x in a string at offset 1`},
		{"BadLiteral", `[tru]`, Limits{}, `unexpected character ']' where true, false or null was expected at offset 4`},
		{"LeadingZeroNumber", `[01]`, Limits{}, `unexpected character '1' where "," or "]" was expected at offset 2`},
		{"NumberWithoutFraction", `1.`, Limits{}, `a number needs a digit after the decimal point at offset 2`},
		{"Unterminated", `{"a":[1,2`, Limits{}, `unexpected end of JSON where "," or "]" was expected at offset 9`},
		{"TrailingComma", `{"a":1,}`, Limits{}, `unexpected character '}' where a quoted key was expected at offset 7`},
		{"DepthAtLimit", strings.Repeat("[", 3) + strings.Repeat("]", 3), Limits{MaxDepth: 3}, ""},
		{"DepthOverLimit", strings.Repeat("[", 4) + strings.Repeat("]", 4), Limits{MaxDepth: 3}, "JSON nesting deeper than 3 levels at offset 3"},
		{"TooLarge", `"` + strings.Repeat("a", 20) + `"`, Limits{MaxBytes: 10}, "body larger than 10 bytes"},
		{"ExactlyAtLimit", `"` + strings.Repeat("a", 8) + `"`, Limits{MaxBytes: 10}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tc.body), tc.lim)
			if tc.err == "" {
				if err != nil {
					t.Fatalf("Read(%q): %v", tc.body, err)
				}
				if string(got) != tc.body {
					t.Fatalf("Read returned %q, want the body %q", got, tc.body)
				}
				if !tc.lim.Lax && strings.TrimSpace(tc.body) != "" && !json.Valid(got) {
					t.Fatalf("accepted %q, which encoding/json refuses", tc.body)
				}
				return
			}
			var je *Error
			if !errors.As(err, &je) || err.Error() != tc.err {
				t.Fatalf("Read(%q) = %v, want %q", tc.body, err, tc.err)
			}
			if je.TooLarge != strings.HasPrefix(tc.err, "body larger") {
				t.Fatalf("TooLarge = %v for %q", je.TooLarge, tc.err)
			}
		})
	}
}

// TestReadStopsAtDepth shows a deeply nested body is refused after reading only the levels up
// to the limit, in time linear in them: encoding/json spends seconds on such bodies.
func TestReadStopsAtDepth(t *testing.T) {
	body := strings.Repeat(`{"a":[`, 500_000) // 3 MB of nesting
	start := time.Now()
	r := &countingReader{r: strings.NewReader(body)}
	_, err := Read(r, Limits{})
	if err == nil || !strings.Contains(err.Error(), "JSON nesting deeper than 100 levels at offset 300") {
		t.Fatalf("err = %v", err)
	}
	if r.n > 64<<10 {
		t.Fatalf("read %d bytes of a body refused at offset 300", r.n)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %v", d)
	}
}

func TestCheckAgreesWithRead(t *testing.T) {
	for _, body := range []string{`{"a":1,"a":2}`, `[1]`, `{"x":"\u0000"}`, "\"\xff\""} {
		_, rerr := Read(strings.NewReader(body), Limits{})
		cerr := Check([]byte(body), Limits{})
		if (rerr == nil) != (cerr == nil) || (rerr != nil && rerr.Error() != cerr.Error()) {
			t.Fatalf("%q: Read %v, Check %v", body, rerr, cerr)
		}
	}
}

func TestReaderErrorPassesThrough(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := Read(&failingReader{data: []byte(`{"a":`), err: boom}, Limits{})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the reader's", err)
	}
}

type countingReader struct {
	r interface{ Read([]byte) (int, error) }
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func BenchmarkRead(b *testing.B) {
	doc := bytes.Repeat([]byte(`{"name":"Jane","phone":"+254700000001","fields":{"a":[1,2,3],"b":"text é"}},`), 10_000)
	body := append(append([]byte("["), doc[:len(doc)-1]...), ']')
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(body), Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestTextProblem(t *testing.T) {
	cases := map[string]string{
		"fine é": "", "": "", "a\x00b": "NUL byte at offset 1", "ab\xff": "invalid UTF-8 at offset 2",
		"\xed\xa0\x80": "invalid UTF-8 at offset 0", "é\xc3": "invalid UTF-8 at offset 2",
	}
	for in, want := range cases {
		if got := TextProblem(in); got != want {
			t.Errorf("TextProblem(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Short("ééé", 3); got != "é…" {
		t.Errorf("Short = %q", got)
	}
}
