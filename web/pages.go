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
		// dict passes several values to a template: dict "K" v "K2" v2.
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				k, _ := kv[i].(string)
				m[k] = kv[i+1]
			}
			return m
		},
		"unit": func(u string) string {
			return map[string]string{"M": "minutes", "H": "hours", "D": "days", "W": "weeks"}[u]
		},
		// local is a time in the workspace's timezone, with the zone's abbreviation.
		"local": func(t time.Time, loc *time.Location) string {
			if t.IsZero() {
				return ""
			}
			if loc == nil {
				loc = time.UTC
			}
			return t.In(loc).Format("2006-01-02 15:04 MST")
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
	// Refresh, when set, reloads the page after that many seconds (a running start's page).
	Refresh int
	Data    any
}

// refresher is page data that wants the page reloaded while something runs.
type refresher interface{ refreshAfter() int }

// render renders a console page inside the layout; a template error is a 500 before anything
// is written.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, name, title, nav string, data any) {
	p := page{Title: title, CSRF: csrfToken(r.Context()), Nav: nav, Vendored: Vendored(), Version: w.cfg.Version, Data: data}
	if rf, ok := data.(refresher); ok {
		p.Refresh = rf.refreshAfter()
	}
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
