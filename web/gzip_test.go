package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"
	"time"

	"careflow/internal/testserver"
	"careflow/web"
)

func TestStaticGzip(t *testing.T) {
	s := testserver.Start(t, "sqlite", testserver.Options{})
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	get := func(method, path string, hdr map[string]string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, s.Base+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	paths := []string{"/sitestatic/careflow.css"}
	if web.Vendored() {
		paths = append(paths, "/sitestatic/vendor/temba-components/temba-components.js")
	}
	// The compressed copies are made in the background from the server's start.
	deadline := time.Now().Add(30 * time.Second)
	for _, p := range paths {
		for time.Now().Before(deadline) {
			if r, _ := get("HEAD", p, map[string]string{"Accept-Encoding": "gzip"}); r.Header.Get("Content-Encoding") == "gzip" {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		plainResp, plain := get("GET", p, map[string]string{"Accept-Encoding": "identity"})
		if plainResp.StatusCode != 200 || plainResp.Header.Get("Content-Encoding") != "" || len(plain) == 0 {
			t.Fatalf("%s plain: %d %q", p, plainResp.StatusCode, plainResp.Header.Get("Content-Encoding"))
		}
		resp, body := get("GET", p, map[string]string{"Accept-Encoding": "gzip, deflate, br"})
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Vary") != "Accept-Encoding" ||
			resp.Header.Get("Content-Type") != plainResp.Header.Get("Content-Type") {
			t.Fatalf("%s gzip: %d %v", p, resp.StatusCode, resp.Header)
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		unz, _ := io.ReadAll(zr)
		if !bytes.Equal(unz, plain) {
			t.Fatalf("%s: gzip body is not the file", p)
		}
		t.Logf("%s: %d bytes, %d gzipped", p, len(plain), len(body))
		// A refusal of gzip and a range request get the file as it is.
		if r, _ := get("GET", p, map[string]string{"Accept-Encoding": "gzip;q=0"}); r.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s: gzip sent though refused", p)
		}
		if r, b := get("GET", p, map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-9"}); r.StatusCode != 206 || len(b) != 10 ||
			r.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s range: %d %d", p, r.StatusCode, len(b))
		}
		if r, b := get("HEAD", p, map[string]string{"Accept-Encoding": "gzip"}); r.StatusCode != 200 || len(b) != 0 ||
			r.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s head: %d", p, r.StatusCode)
		}
	}
	if r, _ := get("GET", "/sitestatic/no-such.js", map[string]string{"Accept-Encoding": "gzip"}); r.StatusCode != 404 {
		t.Fatalf("missing file: %d", r.StatusCode)
	}
}
