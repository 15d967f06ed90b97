package web

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// gzipStatic serves the embedded text assets gzip-compressed to browsers that accept it. The
// React editor alone is 5.4 MB of JavaScript; compressed it is about a quarter of that, which
// is what decides its load time over a real network. The files are compressed once per
// process, in the background from the first request for one of them (a process that serves
// no page, such as a benchmark, never pays for it), and kept (the embedded files bound the
// memory: about 3 MB). Until a file's compressed copy is ready, and for requests
// of ranges or from clients that do not take gzip, next serves the file as it is: no
// request waits for compression.
func gzipStatic(fsys fs.FS, prefix string, next http.Handler) http.Handler {
	v, _ := gzipCaches.LoadOrStore(prefix, &gzipCache{})
	c := v.(*gzipCache)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.once.Do(func() { go c.warm(fsys) })
		name := strings.TrimPrefix(r.URL.Path, prefix)
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || r.Header.Get("Range") != "" || !acceptsGzip(r) {
			next.ServeHTTP(w, r)
			return
		}
		v, ok := c.files.Load(name)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		g := v.(*gzipped)
		h := w.Header()
		h.Set("Content-Type", g.contentType)
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
		h.Set("Content-Length", strconv.Itoa(len(g.body)))
		if r.Method == http.MethodHead {
			return
		}
		w.Write(g.body)
	})
}

// gzipCaches holds one cache per URL prefix (each prefix serves one embedded tree).
var gzipCaches sync.Map

type gzipCache struct {
	once  sync.Once
	files sync.Map // name → *gzipped
}

// warm compresses every compressible file worth compressing.
func (c *gzipCache) warm(fsys fs.FS) {
	fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible(name) {
			return nil
		}
		if info, err := d.Info(); err != nil || info.Size() < 512 {
			return nil
		}
		if g, err := compressFile(fsys, name); err == nil {
			c.files.Store(name, g)
		}
		return nil
	})
}

type gzipped struct {
	contentType string
	body        []byte
}

func compressFile(fsys fs.FS, name string) (*gzipped, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = http.DetectContentType(raw)
	}
	return &gzipped{contentType: ct, body: buf.Bytes()}, nil
}

func compressible(name string) bool {
	switch path.Ext(name) {
	case ".js", ".css", ".svg", ".json", ".map", ".txt", ".html":
		return true
	}
	return false
}

// acceptsGzip reads Accept-Encoding as browsers send it; a gzip with q=0 is a refusal.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		name, val, _ := strings.Cut(strings.TrimSpace(params), "=")
		if strings.TrimSpace(name) != "q" {
			return true
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		return err == nil && q > 0
	}
	return false
}
