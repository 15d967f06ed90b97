package chthttp

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"careflow/cht"
)

const sessionCookie = "AuthSession"

// authenticate identifies the caller by the AuthSession cookie, else Basic credentials. A nil
// user (and nil error) means not authenticated; err is for failures to check at all.
func (a *API) authenticate(r *http.Request) (*cht.User, string, error) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		u, err := a.Users.Session(r.Context(), c.Value)
		if err == nil {
			return u, "cookie", nil
		}
		if !errors.Is(err, cht.ErrBadCredentials) {
			return nil, "", err
		}
	}
	name, password, ok := r.BasicAuth()
	if !ok {
		return nil, "", nil
	}
	u, err := a.Users.Login(r.Context(), ClientAddr(r), name, password)
	if errors.Is(err, cht.ErrBadCredentials) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	return u, "default", nil
}

// unauthorized answers a request without valid credentials as CHT does (§0.2): the Basic
// prompt for prompting routes; JSON 401 for JSON clients; a redirect to the login page for
// other clients that send a User-Agent (CHT takes them for browsers), except the Android
// gateway and collect apps (Dalvik), which get the prompt.
func (a *API) unauthorized(w http.ResponseWriter, r *http.Request, prompt bool) {
	w.Header().Set("logout-authorization", "CHT-Core API")
	ua := r.Header.Get("User-Agent")
	switch {
	case prompt:
	case wantsJSON(r):
		writeJSON(w, http.StatusUnauthorized, errorBody{Code: 401, Error: "unauthorized"})
		return
	case ua != "" && !strings.HasPrefix(ua, "Dalvik/"):
		http.SetCookie(w, &http.Cookie{Name: "login", Value: "force", Path: "/"})
		w.Header().Set("Location", "/medic/login?redirect="+url.QueryEscape(r.URL.RequestURI()))
		w.WriteHeader(http.StatusFound)
		return
	}
	w.Header().Set("WWW-Authenticate", `Basic realm="Medic Web Services"`)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	w.Write([]byte("not logged in"))
}
