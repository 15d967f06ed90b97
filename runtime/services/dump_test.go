package services

import (
	"io"
	"net/http"
	"net/http/httputil"
	"strings"
	"testing"
)

// dumpRequest writes what httputil.DumpRequestOut writes, for every shape of request a
// webhook sends.
func TestDumpRequestMatchesDumpRequestOut(t *testing.T) {
	cases := []struct {
		name, method, url, body string
		headers                 [][2]string
		host                    string
	}{
		{name: "GET", method: "GET", url: "http://example.com/?cmd=success"},
		{name: "GETWithPort", method: "GET", url: "http://example.com:8080/a/b?x=1&y=%20z"},
		{name: "POSTBody", method: "POST", url: "https://example.com/hook", body: `{"contact":"x"}`,
			headers: [][2]string{{"Content-Type", "application/json"}, {"Authorization", "Token abc"}}},
		{name: "POSTEmpty", method: "POST", url: "http://example.com/"},
		{name: "PUTEmpty", method: "PUT", url: "http://example.com/"},
		{name: "DELETEEmpty", method: "DELETE", url: "http://example.com/x"},
		{name: "PATCHBody", method: "PATCH", url: "http://example.com/x", body: "a=1"},
		{name: "HEAD", method: "HEAD", url: "http://example.com/x"},
		{name: "RangeHeader", method: "GET", url: "http://example.com/x", headers: [][2]string{{"Range", "bytes=0-10"}}},
		{name: "OwnAcceptEncoding", method: "GET", url: "http://example.com/x", headers: [][2]string{{"Accept-Encoding", "identity"}}},
		{name: "NoUserAgent", method: "GET", url: "http://example.com/x", headers: [][2]string{{"User-Agent", ""}}},
		{name: "OwnUserAgent", method: "GET", url: "http://example.com/x", headers: [][2]string{{"User-Agent", " Bot/1 \t"}}},
		{name: "LineBreakInValue", method: "POST", url: "http://example.com/x", body: "b",
			headers: [][2]string{{"X-A", "one two"}, {"x-lower", "v"}, {"Zeta", "z"}, {"Alpha", " padded "}}},
		{name: "MultiValue", method: "GET", url: "http://example.com/x", headers: [][2]string{{"X-Many", "1"}, {"X-Many", "2"}}},
		{name: "HostOverride", method: "GET", url: "http://127.0.0.1:9/x", host: "api.example.com"},
		{name: "IPv6", method: "GET", url: "http://[::1]:8080/x"},
		{name: "IPv6Zone", method: "GET", url: "http://[fe80::1%25eth0]:8080/x"},
		{name: "TabInValue", method: "GET", url: "http://example.com/x", headers: [][2]string{{"X-T", "a\tb"}}},
		{name: "IDN", method: "GET", url: "http://bücher.example/x"},
		{name: "EscapedPath", method: "GET", url: "http://example.com/a%2Fb/c d"},
	}
	// Values net/http refuses to send: the dump falls back to the request line, as the call fails.
	for _, v := range []string{"one\r\ntwo", "nul\x00"} {
		r, _ := http.NewRequest("GET", "http://example.com/x", nil)
		r.Header.Set("X-Bad", v)
		if got := dumpRequest(r, ""); got != "GET http://example.com/x\r\n" {
			t.Errorf("invalid header %q: dump %q", v, got)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mk := func() *http.Request {
				var body io.Reader
				if tc.body != "" {
					body = strings.NewReader(tc.body)
				}
				r, err := http.NewRequest(tc.method, tc.url, body)
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range tc.headers {
					r.Header.Add(h[0], h[1])
				}
				if tc.host != "" {
					r.Host = tc.host
				}
				return r
			}
			want, err := httputil.DumpRequestOut(mk(), true)
			if err != nil {
				t.Fatal(err)
			}
			if got := dumpRequest(mk(), tc.body); got != string(want) {
				t.Errorf("dump differs\ngot:  %q\nwant: %q", got, want)
			}
		})
	}
}

// The fallback dumps a copy: the request keeps its body for the call itself.
func TestDumpRequestFallbackLeavesRequestAlone(t *testing.T) {
	r, _ := http.NewRequest("POST", "http://bücher.example/x", strings.NewReader("payload"))
	if got := dumpRequest(r, "payload"); !strings.HasSuffix(got, "\r\n\r\npayload") {
		t.Fatalf("dump %q", got)
	}
	b, _ := io.ReadAll(r.Body)
	if string(b) != "payload" || r.GetBody == nil {
		t.Fatalf("request body after the dump: %q, GetBody %v", b, r.GetBody != nil)
	}
}
