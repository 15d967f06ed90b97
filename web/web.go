// Package web serves careflow's pages: RapidPro's flow editor (the React showFlowEditor and the
// newer <temba-flow-editor>, both from npm, unmodified) with every endpoint they call, answered
// from the store at RapidPro's URL layout; the editor's simulator on the engine; and a console
// for what careflow keeps.
//
// Each endpoint or page is one small file with its handler; routes.go lists them all.
// Endpoints take the console's session (the CHT AuthSession cookie) or Basic credentials;
// state-changing requests made with the cookie must carry the csrftoken (auth.go).
package web

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"

	"careflow/api"
	"careflow/cht"
	"careflow/cht/outbound"
	"careflow/engine"
	"careflow/runtime"
	"careflow/store"
)

// Config is what the pages need from the rest of careflow.
type Config struct {
	Store   runtime.Store
	Runtime *runtime.Runtime
	Users   *cht.Users
	Log     *slog.Logger
	// SimulationServices returns the engine services the simulator runs with: the workspace's
	// real ones, with webhooks marked as simulation.
	SimulationServices func(ws *store.Workspace) engine.Services
	// MediaDir keeps files uploaded from the editor; empty disables uploads.
	MediaDir string
	// Version is careflow's version, shown in the footer.
	Version string
	// Pushes lists CHT outbound pushes and Requeue re-queues dead ones; nil when outbound
	// push is not running.
	Pushes  PushLister
	Requeue func(ctx context.Context, q store.PushQuery) (int64, error)
	// DryRun asks outbound push what a config would send; nil when it is not running.
	DryRun func(ctx context.Context, req outbound.DryRun) ([]outbound.DryRunResult, error)
	// TokenUser is the user of an API token ("Authorization: Token <key>"), for scripts;
	// nil disables tokens.
	TokenUser func(ctx context.Context, key string) (*cht.User, error)
	// ChannelLogs reads a channel's logs, newest first; nil when the store keeps none.
	ChannelLogs func(ctx context.Context, channelUUID string, beforeID int64, limit int) ([]*store.ChannelLog, error)
	// Settings are CHT's app settings, shown read only.
	Settings *cht.Settings
	// Tokens keeps API v2 tokens, for the tokens page; nil when the store keeps none.
	Tokens api.Store
}

// PushLister is what the outbound page reads of the push queue.
type PushLister interface {
	ListPushes(ctx context.Context, q store.PushQuery) ([]store.Push, error)
	CountPushes(ctx context.Context) (map[store.PushState]int64, error)
}

// Web is the web area.
type Web struct {
	cfg   Config
	pages *template.Template
}

// New builds the web area.
func New(cfg Config) *Web {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Web{cfg: cfg, pages: parsePages()}
}

// Register adds every route to mux.
func (w *Web) Register(mux *http.ServeMux) {
	for _, r := range routes {
		mux.Handle(r.pattern, w.wrap(r))
	}
	sitestatic, static := vendorHandler()
	mux.Handle("GET /sitestatic/", sitestatic)
	mux.Handle("GET /static/", static)
}

// workspace is the workspace the console and editor work on: the first one. (careflow runs
// one workspace per install today; the workspaces page lists them all.)
func (w *Web) workspace(ctx context.Context) (*store.Workspace, error) {
	list, err := w.cfg.Store.ListWorkspaces(ctx)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errors.New("no workspace")
	}
	return list[0], nil
}

// writeJSON answers with exactly "application/json": the React editor compares the header
// verbatim and ignores answers with a charset.
func writeJSON(rw http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"could not encode the answer"}`)
	}
	rw.Header().Set("Content-Type", "application/json")
	rw.Header().Set("Cache-Control", "no-store")
	rw.WriteHeader(status)
	_, _ = rw.Write(data)
}

// jsonError answers an API-style error: {"error": msg}.
func jsonError(rw http.ResponseWriter, status int, msg string) {
	writeJSON(rw, status, map[string]string{"error": msg})
}

// serverError logs err and answers a 500 without internals.
func (w *Web) serverError(rw http.ResponseWriter, r *http.Request, err error) {
	w.cfg.Log.Error("web request failed", "path", r.URL.Path, "error", err)
	jsonError(rw, http.StatusInternalServerError, "internal error")
}
