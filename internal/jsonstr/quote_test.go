package jsonstr

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestAppend(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		goWant string
		jsWant string
	}{
		{"empty", "", `""`, `""`},
		{"plain", "hello, world", `"hello, world"`, `"hello, world"`},
		{"quote", `say "hi"`, `"say \"hi\""`, `"say \"hi\""`},
		{"backslash", `a\b`, `"a\\b"`, `"a\\b"`},
		{"slash", "a/b", `"a/b"`, `"a/b"`},
		{"html", "<a href=x>&amp;</a>", `"\u003ca href=x\u003e\u0026amp;\u003c/a\u003e"`, `"<a href=x>&amp;</a>"`},
		{"line separator", "a\u2028b", `"a\u2028b"`, "\"a\u2028b\""},
		{"paragraph separator", "a\u2029b", `"a\u2029b"`, "\"a\u2029b\""},
		{"delete", "a\x7fb", "\"a\x7fb\"", "\"a\x7fb\""},
		{"latin and cjk", "héllo 世界", `"héllo 世界"`, `"héllo 世界"`},
		{"astral", "a😀b𝄞", `"a😀b𝄞"`, `"a😀b𝄞"`},
		{"invalid byte", "a\xffb", `"a\ufffdb"`, "\"a\xffb\""},
		{"truncated sequence", "a\xe2\x82", `"a\ufffd\ufffd"`, "\"a\xe2\x82\""},
		{"lone continuation", "\x80x", `"\ufffdx"`, "\"\x80x\""},
		{"encoded surrogate", "\xed\xa0\x80", `"\ufffd\ufffd\ufffd"`, "\"\xed\xa0\x80\""},
		{"mixed", "\t<\"é\u2028\x01", `"\t\u003c\"é\u2028\u0001"`, "\"\\t<\\\"é\u2028\\u0001\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(Append(nil, tt.in, Go)); got != tt.goWant {
				t.Errorf("Go style: got %s, want %s", got, tt.goWant)
			}
			if got := string(Append(nil, tt.in, JS)); got != tt.jsWant {
				t.Errorf("JS style: got %s, want %s", got, tt.jsWant)
			}
		})
	}
}

func TestAppendControlCharacters(t *testing.T) {
	goShort := map[byte]string{'\n': `\n`, '\r': `\r`, '\t': `\t`}
	jsShort := map[byte]string{'\b': `\b`, '\f': `\f`, '\n': `\n`, '\r': `\r`, '\t': `\t`}
	for c := byte(0); c < 0x20; c++ {
		long := fmt.Sprintf(`\u%04x`, c)
		for _, tt := range []struct {
			st    Style
			short map[byte]string
		}{{Go, goShort}, {JS, jsShort}} {
			esc, ok := tt.short[c]
			if !ok {
				esc = long
			}
			want := `"x` + esc + `y"`
			if got := string(Append(nil, "x"+string(c)+"y", tt.st)); got != want {
				t.Errorf("style %d, byte %#02x: got %s, want %s", tt.st, c, got, want)
			}
		}
	}
}

func TestAppendKeepsPrefix(t *testing.T) {
	if got := string(Append([]byte("k:"), "v", JS)); got != `k:"v"` {
		t.Errorf("got %s", got)
	}
}

// The Go style matches encoding/json except that encoding/json writes \b and \f short.
func TestAppendGoMatchesEncodingJSON(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 0x80; c++ {
		if c != '\b' && c != '\f' {
			all.WriteByte(byte(c))
		}
	}
	inputs := []string{all.String(), "é\u2028\u2029😀\xff\xe2\x82z", "<script>&</script>"}
	for _, in := range inputs {
		want, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Append(nil, in, Go); string(got) != string(want) {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

func TestAppendRoundTrip(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 0x80; c++ {
		all.WriteByte(byte(c))
	}
	all.WriteString("é\u2028\u2029😀𝄞世")
	for _, st := range []Style{Go, JS} {
		q := Append(nil, all.String(), st)
		s, next, f := Unquote(q, 1, RejectControl)
		if f != None || next != len(q) || s != all.String() {
			t.Errorf("style %d: got %q, %d, %v", st, s, next, f)
		}
	}
}

func TestAppendAllocs(t *testing.T) {
	buf := make([]byte, 0, 256)
	in := "plain ascii <b> \"quoted\" \n é 😀 \u2028"
	for _, st := range []Style{Go, JS} {
		n := testing.AllocsPerRun(100, func() { buf = Append(buf[:0], in, st) })
		if n != 0 {
			t.Errorf("style %d: %v allocations", st, n)
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	in := "Hi Ben, your appointment is on 2026-11-26 at the clinic <Main St> — reply YES to confirm."
	buf := make([]byte, 0, 256)
	for _, tt := range []struct {
		name string
		st   Style
	}{{"Go", Go}, {"JS", JS}} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				buf = Append(buf[:0], in, tt.st)
			}
		})
	}
}
