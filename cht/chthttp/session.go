package chthttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"careflow/cht"
)

func (a *API) registerSession(mux *http.ServeMux) {
	mux.HandleFunc("POST /_session", a.postSession)
	mux.HandleFunc("GET /_session", a.getSession)
	mux.HandleFunc("DELETE /_session", a.deleteSession)
}

// postSession logs in with a JSON or form body {name, password} and sets CouchDB's
// AuthSession cookie: persistent for a year, with the Expires attribute cht-conf's session
// plugin needs.
func (a *API) postSession(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	body, err := readBody(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	var creds struct {
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if isJSONContent(r) {
		if json.Unmarshal(body, &creds) != nil {
			writeError(w, r, a.Log, &cht.CouchError{Status: 400, Code: "bad_request", Reason: "Request body is not valid JSON"})
			return
		}
	} else {
		q, _ := url.ParseQuery(string(body))
		creds.Name, creds.Password = q.Get("name"), q.Get("password")
	}
	u, err := a.Users.Authenticate(r.Context(), creds.Name, creds.Password)
	if errors.Is(err, cht.ErrBadCredentials) {
		writeError(w, r, a.Log, &cht.CouchError{Status: 401, Code: "unauthorized", Reason: "Name or password is incorrect."})
		return
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	token, expires := a.Users.NewSession(u)
	w.Header().Add("Set-Cookie", fmt.Sprintf("%s=%s; Version=1; Expires=%s; Max-Age=%d; Path=/; HttpOnly",
		sessionCookie, token, expires.UTC().Format(http.TimeFormat), int(cht.SessionLifetime/time.Second)))
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

// deleteSession logs out by expiring the cookie.
func (a *API) deleteSession(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Set-Cookie", sessionCookie+"=; Version=1; Path=/; HttpOnly; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

func rolesOf(u *cht.User) []string {
	if u.Roles == nil {
		return []string{}
	}
	return u.Roles
}
