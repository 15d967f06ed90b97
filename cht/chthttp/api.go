package chthttp

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"

	"careflow/cht"
	"careflow/internal/idempotency"
	"careflow/internal/reqinfo"
)

const requestIDHeader = "X-Request-Id"

// API is the CHT HTTP surface over the cht services.
type API struct {
	Users       *cht.Users
	Settings    *cht.Settings
	Records     *cht.Records
	Contacts    *cht.Contacts
	Credentials *cht.Credentials
	Docs        *cht.Docs
	// Idempotency honours the Idempotency-Key header on record submissions; nil ignores it.
	Idempotency *idempotency.Guard
	Log         *slog.Logger
	// Limits bounds request bodies; the zero value is CHT's limits with careflow's depth limit.
	Limits Limits
}

// Register adds every route to mux.
func (a *API) Register(mux *http.ServeMux) {
	a.registerSession(mux)
	a.registerUsers(mux)
	a.registerSettings(mux)
	a.registerRecords(mux)
	a.registerContacts(mux)
	a.registerCredentials(mux)
	a.registerCouch(mux)
	a.registerForms(mux)
}

// access is what a route demands of its caller.
type access struct {
	// prompt answers unauthenticated requests with the Basic prompt (the settings routes).
	prompt bool
	// online refuses offline users with CHT's firewall error.
	online bool
	// admin requires the admin or _admin role (credentials).
	admin bool
	// perms are permissions the user must hold (§4.2).
	perms []string
}

type handler func(w http.ResponseWriter, r *http.Request, u *cht.User) error

// route wraps h with request ids, authentication, the online firewall, permission checks and
// error rendering.
func (a *API) route(acc access, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(requestIDHeader) == "" {
			b := make([]byte, 6)
			rand.Read(b)
			r.Header.Set(requestIDHeader, hex.EncodeToString(b))
		}
		r.Body = http.MaxBytesReader(w, r.Body, a.Limits.body())
		u, how, err := a.authenticate(r)
		if err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		if u == nil {
			a.unauthorized(w, r, acc.prompt)
			return
		}
		reqinfo.SetUser(r.Context(), u.Name)
		r = r.WithContext(withAuth(r.Context(), u, how))
		if err := checkRequestText(r); err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		if err := a.check(r.Context(), acc, u); err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		if err := h(w, r, u); err != nil {
			writeError(w, r, a.Log, err)
		}
	}
}

func (a *API) check(ctx context.Context, acc access, u *cht.User) error {
	if acc.online && !u.IsOnline() {
		return cht.ErrOfflineUser
	}
	if acc.admin && !u.IsAdmin() {
		if !u.IsOnline() {
			return cht.ErrOfflineUser
		}
		return &cht.Error{Status: http.StatusForbidden, Message: "Insufficient permissions"}
	}
	if len(acc.perms) > 0 {
		settings, err := a.Settings.Get(ctx)
		if err != nil {
			return err
		}
		if !cht.HasPermissions(settings, u.Roles, acc.perms...) {
			return cht.ErrInsufficientPrivileges
		}
	}
	return nil
}

type authKey struct{}

type authInfo struct {
	user *cht.User
	how  string // "cookie" or "default" (Basic), as CouchDB's _session names them
}

func withAuth(ctx context.Context, u *cht.User, how string) context.Context {
	return context.WithValue(ctx, authKey{}, authInfo{user: u, how: how})
}

// authFrom returns the authenticated user of a request context and how it authenticated.
func authFrom(ctx context.Context) (*cht.User, string) {
	ai, _ := ctx.Value(authKey{}).(authInfo)
	return ai.user, ai.how
}
