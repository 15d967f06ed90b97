package web

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"careflow/api"
	"careflow/cht"
	"careflow/store"
)

type tokensData struct {
	Tokens []*store.APIToken
	// All says the list is every user's (an administrator's view).
	All       bool
	Me        string
	CanCreate bool
	Max       int
	// New is a key just made: shown this once, never again.
	New     string
	Message string
	Error   string
	Next    string
	Loc     *time.Location
}

var tokenHashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// tokensPage lists the signed-in user's API tokens (an administrator's: everyone's in the
// workspace), newest first, a page at a time; ?before=<ms>.<hash> continues a list.
func (w *Web) tokensPage(rw http.ResponseWriter, r *http.Request) {
	msg := ""
	if r.URL.Query().Get("revoked") == "1" {
		msg = "The token was revoked: it no longer opens the API."
	}
	w.renderTokens(rw, r, http.StatusOK, "", msg, "")
}

func (w *Web) renderTokens(rw http.ResponseWriter, r *http.Request, status int, newKey, msg, problem string) {
	if w.cfg.Tokens == nil {
		http.Error(rw, "This store keeps no API tokens.", http.StatusNotFound)
		return
	}
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	u := currentUser(r.Context())
	d := tokensData{All: cht.IsAdmin(u.Roles), Me: u.Name, CanCreate: api.MayHoldTokens(u.Roles), Max: api.MaxTokensPerUser,
		New: newKey, Message: msg, Error: problem, Loc: workspaceLocation(ws)}
	q := store.APITokenPage{Limit: listPageSize + 1}
	if !d.All {
		q.User = u.Name
	}
	if before := r.URL.Query().Get("before"); before != "" {
		ms, hash, ok := strings.Cut(before, ".")
		n, err := strconv.ParseInt(ms, 10, 64)
		if !ok || err != nil || n <= 0 || !tokenHashRE.MatchString(hash) {
			http.Error(rw, "before: expected <milliseconds>.<token hash> from the Older link.", http.StatusBadRequest)
			return
		}
		q.BeforeCreated, q.BeforeHash = time.UnixMilli(n), hash
	}
	list, err := w.cfg.Tokens.PageAPITokens(r.Context(), ws.ID, q)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	if len(list) > listPageSize {
		list = list[:listPageSize]
		last := list[listPageSize-1]
		d.Next = fmt.Sprintf("%d.%s", last.CreatedOn.UnixMilli(), last.Hash)
	}
	d.Tokens = list
	if status != http.StatusOK {
		rw.WriteHeader(status)
	}
	w.render(rw, r, "tokens.html", "API tokens", "tokens", d)
}

// tokenCreate makes a token for the signed-in user and shows its key once.
func (w *Web) tokenCreate(rw http.ResponseWriter, r *http.Request) {
	if w.cfg.Tokens == nil {
		http.Error(rw, "This store keeps no API tokens.", http.StatusNotFound)
		return
	}
	u := currentUser(r.Context())
	if !api.MayHoldTokens(u.Roles) {
		w.renderTokens(rw, r, http.StatusForbidden, "", "", fmt.Sprintf("Only workspace administrators and editors may hold API tokens; %s has neither role (an administrator can grant %s).", u.Name, api.UserRoleEditor))
		return
	}
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	key, err := api.CreateToken(r.Context(), w.cfg.Tokens, ws.ID, u.Name, time.Now())
	if errors.Is(err, api.ErrTokenLimit) {
		w.renderTokens(rw, r, http.StatusBadRequest, "", "", fmt.Sprintf("You already hold %d tokens, the most allowed: revoke one first.", api.MaxTokensPerUser))
		return
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.renderTokens(rw, r, http.StatusOK, key, "", "")
}

// tokenRevoke deletes a token (form field "token": its hash). Users revoke their own;
// administrators anyone's in the workspace.
func (w *Web) tokenRevoke(rw http.ResponseWriter, r *http.Request) {
	if w.cfg.Tokens == nil {
		http.Error(rw, "This store keeps no API tokens.", http.StatusNotFound)
		return
	}
	hash := r.PostFormValue("token")
	if !tokenHashRE.MatchString(hash) {
		w.renderTokens(rw, r, http.StatusBadRequest, "", "", "token: expected the 64-character identifier the page gives each token.")
		return
	}
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	u := currentUser(r.Context())
	t, err := w.cfg.Tokens.GetAPIToken(r.Context(), hash)
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.WorkspaceID != ws.ID) {
		w.renderTokens(rw, r, http.StatusNotFound, "", "", "No such token in this workspace (it may have been revoked already).")
		return
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	if t.UserName != u.Name && !cht.IsAdmin(u.Roles) {
		w.renderTokens(rw, r, http.StatusForbidden, "", "", "Only an administrator may revoke another user's token.")
		return
	}
	if err := w.cfg.Tokens.DeleteAPIToken(r.Context(), hash); err != nil && !errors.Is(err, store.ErrNotFound) {
		w.serverError(rw, r, err)
		return
	}
	w.cfg.Log.Info("api token revoked", "user", t.UserName, "by", u.Name, "prefix", t.Prefix)
	http.Redirect(rw, r, "/user/tokens/?revoked=1", http.StatusSeeOther)
}

// workspaceLocation is the workspace's timezone, UTC when it names none this binary knows.
func workspaceLocation(ws *store.Workspace) *time.Location {
	if loc, err := time.LoadLocation(ws.Timezone); err == nil && ws.Timezone != "" {
		return loc
	}
	return time.UTC
}
