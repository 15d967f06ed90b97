package web

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// mediaUpload keeps a file attached in the editor (an image, audio or video for a message)
// and answers where it is served, in RapidPro's media shape.
func (w *Web) mediaUpload(rw http.ResponseWriter, r *http.Request) {
	if w.cfg.MediaDir == "" {
		jsonError(rw, http.StatusBadRequest, "uploads are not enabled on this server")
		return
	}
	r.Body = http.MaxBytesReader(rw, r.Body, 25<<20)
	file, header, err := r.FormFile("file")
	if err != nil {
		jsonError(rw, http.StatusBadRequest, "send the file as the multipart field 'file' (at most 25 MB)")
		return
	}
	defer file.Close()
	ext := strings.ToLower(filepath.Ext(header.Filename))
	ctype := mime.TypeByExtension(ext)
	if !strings.HasPrefix(ctype, "image/") && !strings.HasPrefix(ctype, "audio/") && !strings.HasPrefix(ctype, "video/") && ctype != "application/pdf" {
		jsonError(rw, http.StatusBadRequest, "only images, audio, video and PDF files can be attached")
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	name := hex.EncodeToString(b) + ext
	if err := os.MkdirAll(w.cfg.MediaDir, 0o755); err != nil {
		w.serverError(rw, r, err)
		return
	}
	out, err := os.Create(filepath.Join(w.cfg.MediaDir, name))
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	n, err := io.Copy(out, file)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		jsonError(rw, http.StatusBadRequest, "the file could not be read")
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	writeJSON(rw, http.StatusOK, map[string]any{"type": ctype, "url": scheme + "://" + r.Host + "/media/" + name,
		"name": header.Filename, "size": n})
}

var mediaName = regexp.MustCompile(`^[0-9a-f]{32}\.[a-z0-9]{1,8}$`)

func (w *Web) media(rw http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if w.cfg.MediaDir == "" || !mediaName.MatchString(name) {
		http.NotFound(rw, r)
		return
	}
	http.ServeFile(rw, r, filepath.Join(w.cfg.MediaDir, name))
}
