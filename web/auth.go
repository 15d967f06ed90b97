package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"

	"careflow/cht"
)

// Who may call a route.
type access int

const (
	public   access = iota
	apiUser         // a signed-in user, else a JSON 401 that invites Basic credentials
	pageUser        // a signed-in user, else a redirect to the sign-in page
)

// route is one row of the route table: a pattern, who may call it and its handler.
type route struct {
	pattern string
	access  access
	// noCSRF exempts a cookie-authenticated POST from the token check: only the simulator,
	// which RapidPro exempts too (the React simulator sends no token) and which stores nothing.
	noCSRF  bool
	handler func(w *Web, rw http.ResponseWriter, r *http.Request)
}

const (
	sessionCookie = "AuthSession" // the CHT session cookie, shared with the CHT API
	csrfCookie    = "csrftoken"   // readable by the editors' JavaScript, as RapidPro's is
	csrfHeader    = "X-CSRFToken"
	csrfField     = "csrfmiddlewaretoken"
)

type userKey struct{}

// currentUser is the signed-in user of a request that passed wrap.
func currentUser(ctx context.Context) *cht.User {
	u, _ := ctx.Value(userKey{}).(*cht.User)
	return u
}

// authenticate finds the caller: the session cookie, else an API token, else Basic credentials. cookie says
// whether the cookie did it (and so whether CSRF applies).
func (w *Web) authenticate(r *http.Request) (u *cht.User, cookie bool) {
	if w.cfg.Users == nil {
		return nil, false
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if u, err := w.cfg.Users.Session(r.Context(), c.Value); err == nil {
			return u, true
		}
	}
	if key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Token "); ok && w.cfg.TokenUser != nil {
		if u, err := w.cfg.TokenUser(r.Context(), strings.TrimSpace(key)); err == nil {
			return u, false
		}
		return nil, false
	}
	if name, password, ok := r.BasicAuth(); ok {
		if u, err := w.cfg.Users.Authenticate(r.Context(), name, password); err == nil {
			return u, false
		}
	}
	return nil, false
}

func (w *Web) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		// Nothing on careflow's pages may come from elsewhere: the editors' bundles name
		// web fonts and simulator media on outside hosts, which this keeps from loading.
		rw.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'self'")
		rw.Header().Set("X-Content-Type-Options", "nosniff")
		token := ensureCSRFCookie(rw, r)
		if rt.access == public {
			rt.handler(w, rw, r.WithContext(context.WithValue(r.Context(), csrfKey{}, token)))
			return
		}
		u, byCookie := w.authenticate(r)
		if u == nil {
			if rt.access == pageUser {
				http.Redirect(rw, r, "/users/login/?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
				return
			}
			rw.Header().Set("WWW-Authenticate", `Basic realm="careflow"`)
			jsonError(rw, http.StatusUnauthorized, "Authentication credentials were not provided.")
			return
		}
		// CHT's offline users are field workers syncing phones; the console and the editor
		// are for online users (admins, the gateway, managers).
		if !u.IsOnline() {
			if rt.access == pageUser {
				http.Error(rw, "This account cannot use the console: it is an offline (field) user.", http.StatusForbidden)
				return
			}
			jsonError(rw, http.StatusForbidden, "This account cannot use the console: it is an offline (field) user.")
			return
		}
		if byCookie && !rt.noCSRF && unsafeMethod(r.Method) && !validCSRF(r) {
			if strings.Contains(r.Header.Get("Accept"), "text/html") {
				http.Error(rw, "Forbidden: this form has expired or did not come from careflow (CSRF check failed). Go back, reload the page and try again.", http.StatusForbidden)
				return
			}
			jsonError(rw, http.StatusForbidden, "CSRF token missing or incorrect.")
			return
		}
		ctx := context.WithValue(r.Context(), userKey{}, u)
		ctx = context.WithValue(ctx, csrfKey{}, token)
		rt.handler(w, rw, r.WithContext(ctx))
	})
}

type csrfKey struct{}

// csrfToken is the request's CSRF token, for forms.
func csrfToken(ctx context.Context) string {
	s, _ := ctx.Value(csrfKey{}).(string)
	return s
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// ensureCSRFCookie returns the request's token, setting a new cookie when it has none. The
// token is a double-submit secret: a cross-site page can make the browser send the cookie but
// cannot read it to put it in the header or form.
func ensureCSRFCookie(rw http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 32 {
		return c.Value
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	http.SetCookie(rw, &http.Cookie{Name: csrfCookie, Value: token, Path: "/", SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	return token
}

func validCSRF(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	got := r.Header.Get(csrfHeader)
	if got == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		got = r.PostFormValue(csrfField)
	}
	if got == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		got = r.FormValue(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(c.Value)) == 1
}
