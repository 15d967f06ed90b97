package web

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

func parsePages() *template.Template {
	funcs := template.FuncMap{
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04")
		},
	}
	return template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))
}

// page is what every console template gets.
type page struct {
	Title    string
	User     string
	CSRF     string
	Nav      string
	Vendored bool
	Version  string
	Data     any
}

// render renders a console page inside the layout; a template error is a 500 before anything
// is written.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, name, title, nav string, data any) {
	p := page{Title: title, CSRF: csrfToken(r.Context()), Nav: nav, Vendored: Vendored(), Version: w.cfg.Version, Data: data}
	if u := currentUser(r.Context()); u != nil {
		p.User = u.Name
	}
	var buf bytes.Buffer
	if err := w.pages.ExecuteTemplate(&buf, name, p); err != nil {
		w.serverError(rw, r, err)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(rw)
}
