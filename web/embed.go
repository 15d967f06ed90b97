package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

// The editors' npm files are embedded when they were installed before the build (npm ci in
// web/ copies them into static/vendor); a build without them still serves every page and says
// how to get them. README.txt keeps the pattern matching in a fresh checkout.
//
//go:embed all:static
var staticFS embed.FS

// Vendored reports whether this binary carries the editors' npm files.
func Vendored() bool { return vendored() }

// vendored is swapped by tests to see the pages of a build without the npm files.
var vendored = embeddedVendor

func embeddedVendor() bool {
	_, err := fs.Stat(staticFS, "static/vendor/flow-editor/package.json")
	_, err2 := fs.Stat(staticFS, "static/vendor/temba-components/temba-components.js")
	return err == nil && err2 == nil
}

// editorFiles returns the hashed bundle names of the React editor (they change per release).
func editorFiles() (js, css []string) {
	for _, dir := range []struct {
		path string
		ext  string
		out  *[]string
	}{{"static/vendor/flow-editor/static/js", ".js", &js}, {"static/vendor/flow-editor/static/css", ".css", &css}} {
		entries, _ := fs.ReadDir(staticFS, dir.path)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), dir.ext) {
				*dir.out = append(*dir.out, e.Name())
			}
		}
	}
	// webpack's runtime chunk first, then the vendor chunk (2.*), then main.
	order := func(n string) int {
		switch {
		case strings.HasPrefix(n, "runtime-"):
			return 0
		case strings.HasPrefix(n, "main."):
			return 2
		}
		return 1
	}
	for i := 1; i < len(js); i++ {
		for j := i; j > 0 && order(js[j]) < order(js[j-1]); j-- {
			js[j], js[j-1] = js[j-1], js[j]
		}
	}
	return js, css
}

// vendorHandler serves careflow.css and the embedded npm files (vendor/) under /sitestatic/, and temba-components' icon
// sprite and images at the absolute /static/ paths its components ask for.
func vendorHandler() (sitestatic, static http.Handler) {
	site, _ := fs.Sub(staticFS, "static")
	tc, _ := fs.Sub(staticFS, "static/vendor/temba-components/static")
	cache := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "public, max-age=3600")
			h.ServeHTTP(w, r)
		})
	}
	return cache(gzipStatic(site, "/sitestatic/", http.StripPrefix("/sitestatic/", http.FileServerFS(site)))),
		cache(gzipStatic(tc, "/static/", http.StripPrefix("/static/", http.FileServerFS(tc))))
}
