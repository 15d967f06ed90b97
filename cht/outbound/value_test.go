package outbound

import (
	"encoding/json"
	"testing"
)

func TestParseJSONRoundTrips(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"b":1,"a":[true,false,null],"2":"x","1":{"z":-0.5e3}}`, `{"1":{"z":-500},"2":"x","b":1,"a":[true,false,null]}`},
		{` [ "a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00\ud800x" ] `, `["a\"b\\c/d\b\f\n\r\té😀` + "\uFFFD" + `x"]`},
		{`{"a":1,"a":2}`, `{"a":2}`},
		{`1e400`, `null`},
		{`12345678901234567890`, `12345678901234567000`},
	}
	for _, tc := range cases {
		v, err := ParseJSON([]byte(tc.in))
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if got := string(Stringify(v)); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{``, `{`, `{"a"}`, `[1,]`, `01`, `"a`, `tru`, `{"a":1}x`, "\"\x01\"", `1.`, `-`} {
		if _, err := ParseJSON([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
		if json.Valid([]byte(bad)) {
			t.Errorf("%q is valid JSON", bad)
		}
	}
}
