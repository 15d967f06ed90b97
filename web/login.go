package web

import (
	"net/http"
	"strings"
	"time"
)

type loginData struct{ Error, Next string }

// safeNext keeps redirects after sign-in on careflow (a path, never another host).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (w *Web) loginPage(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, "login.html", "Sign in", "", loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

// loginPost signs a careflow user in: the same AuthSession cookie the CHT API issues.
func (w *Web) loginPost(rw http.ResponseWriter, r *http.Request) {
	next := safeNext(r.PostFormValue("next"))
	if !validCSRF(r) {
		rw.WriteHeader(http.StatusForbidden)
		w.render(rw, r, "login.html", "Sign in", "", loginData{Error: "This form has expired; please sign in again.", Next: next})
		return
	}
	u, err := w.cfg.Users.Authenticate(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"))
	if err != nil {
		rw.WriteHeader(http.StatusUnauthorized)
		w.render(rw, r, "login.html", "Sign in", "", loginData{Error: "Name or password is incorrect.", Next: next})
		return
	}
	token, expires := w.cfg.Users.NewSession(u)
	http.SetCookie(rw, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(rw, r, next, http.StatusSeeOther)
}

func (w *Web) logoutPost(rw http.ResponseWriter, r *http.Request) {
	http.SetCookie(rw, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", Expires: time.Unix(0, 0), MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(rw, r, "/users/login/", http.StatusSeeOther)
}
