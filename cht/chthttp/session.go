package chthttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"careflow/cht"
	"careflow/internal/jsonbody"
	"careflow/internal/reqinfo"
)

func (a *API) registerSession(mux *http.ServeMux) {
	mux.HandleFunc("POST /_session", a.postSession)
	mux.HandleFunc("GET /_session", a.getSession)
	mux.HandleFunc("DELETE /_session", a.deleteSession)
}

// postSession logs in with a JSON or form body {name, password} and sets CouchDB's
// AuthSession cookie: persistent for a year, with the Expires attribute cht-conf's session
// plugin needs.
//
// The body is read before anyone is authenticated, so it is bounded by Limits.MaxAuthBody.
func (a *API) postSession(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, a.Limits.authBody())
	var creds struct {
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if err := checkRequestText(r); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	if isJSONContent(r) {
		body, err := a.readCouchJSON(r, jsonbody.Limits{MaxBytes: a.Limits.authBody()})
		if err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		if json.Unmarshal(body, &creds) != nil {
			writeError(w, r, a.Log, &cht.CouchError{Status: 400, Code: "bad_request", Reason: "the body must be a JSON object with string members name and password"})
			return
		}
	} else {
		body, err := a.readText(r, a.Limits.authBody())
		if err == errTooLarge {
			err = errCouchTooLarge
		}
		if err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		q, _ := url.ParseQuery(string(body))
		creds.Name, creds.Password = q.Get("name"), q.Get("password")
	}
	u, err := a.Users.Login(r.Context(), ClientAddr(r), creds.Name, creds.Password)
	if errors.Is(err, cht.ErrBadCredentials) {
		writeError(w, r, a.Log, &cht.CouchError{Status: 401, Code: "unauthorized", Reason: "Name or password is incorrect."})
		return
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	reqinfo.SetUser(r.Context(), u.Name)
	token, expires := a.Users.NewSession(u)
	w.Header().Add("Set-Cookie", fmt.Sprintf("%s=%s; Version=1; Expires=%s; Max-Age=%d; Path=/; HttpOnly%s",
		sessionCookie, token, expires.UTC().Format(http.TimeFormat), int(cht.SessionLifetime/time.Second), cookieAttrs(r)))
	writeJSON(w, http.StatusOK, struct {
		OK    bool     `json:"ok"`
		Name  string   `json:"name"`
		Roles []string `json:"roles"`
	}{true, u.Name, rolesOf(u)})
}

// getSession describes the caller as CouchDB's GET /_session does; anonymous callers get a
// null name.
func (a *API) getSession(w http.ResponseWriter, r *http.Request) {
	u, how, err := a.authenticate(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	info := map[string]any{"authentication_handlers": []string{"cookie", "default"}}
	userCtx := map[string]any{"name": nil, "roles": []string{}}
	if u != nil {
		userCtx = map[string]any{"name": u.Name, "roles": rolesOf(u)}
		info["authenticated"] = how
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "userCtx": userCtx, "info": info})
}

// deleteSession logs out: the session token is revoked, so a copy of the cookie kept
// elsewhere stops working too, and the browser's cookie is expired.
func (a *API) deleteSession(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := a.Users.Revoke(r.Context(), c.Value); err != nil {
			writeError(w, r, a.Log, err)
			return
		}
	}
	w.Header().Add("Set-Cookie", sessionCookie+"=; Version=1; Path=/; HttpOnly; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"+cookieAttrs(r))
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

func rolesOf(u *cht.User) []string {
	if u.Roles == nil {
		return []string{}
	}
	return u.Roles
}

// cookieAttrs are the session cookie's SameSite attribute, which keeps other sites' forms
// from riding on it, and Secure when the request came over TLS (careflow's own, or a proxy
// that says so with X-Forwarded-Proto).
func cookieAttrs(r *http.Request) string {
	attrs := "; SameSite=Lax"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		attrs += "; Secure"
	}
	return attrs
}

// ClientAddr is the address login failures are counted against: the connection's peer.
// X-Forwarded-For is not trusted, since any client can set it to dodge the count.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
