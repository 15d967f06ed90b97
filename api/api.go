// Package api serves RapidPro's API v2 (/api/v2/) over careflow's messaging runtime, so
// clients written for RapidPro or TextIt (the Python client, CHT's outbound push, DHIS2
// bridges, dashboards) work against careflow unchanged: the same paths with and without the
// .json suffix, token authentication answering 403 as RapidPro does, cursor pagination with
// absolute links, DRF-shaped error bodies and per-workspace rate limits.
//
// Each endpoint lives in its own file and is listed in the endpoints table (endpoints.go).
// Writes that change what flows see go through the runtime (starts, broadcasts, globals,
// groups) so its cached workspace view stays current.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"careflow/runtime"
	"careflow/store"
)

// Store is what the API reads and writes.
type Store interface {
	store.Messaging
	store.APIStore
	store.LabelStore
	store.UserStore
}

// API is the RapidPro API v2 service.
type API struct {
	Store   Store
	Runtime *runtime.Runtime
	Log     *slog.Logger
	// PublicURL, when set (e.g. "https://careflow.example.org"), is the base of the absolute
	// links the API returns; otherwise they are built from the request's host.
	PublicURL string
	// Rates are the per-workspace request limits by throttle scope.
	// Dedupe, when set, makes writes carrying an idempotency key safe to retry.
	Dedupe Deduper
	// Session, when set, signs web users in (RapidPro's session authentication).
	Session  SessionFunc
	Rates    map[string]Rate
	throttle *throttle
}

// New returns the API with RapidPro's default rates.
func New(st Store, rt *runtime.Runtime, log *slog.Logger) *API {
	a := &API{Store: st, Runtime: rt, Log: log, Rates: DefaultRates()}
	a.throttle = newThrottle()
	return a
}

// Register adds the API's routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.HandleFunc("/api/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/api/v2/", http.StatusFound)
	})
	mux.HandleFunc("/api/v2/{$}", a.serveIndex)
	mux.HandleFunc("/api/v2/{name}", a.serve)
	mux.HandleFunc("/api/v2/{name}/{$}", a.serve)
}

// serve finds the endpoint named in the path (with or without .json; "name.json/" too) and
// runs the method's handler after authentication, permission and throttling.
func (a *API) serve(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	slash := strings.HasSuffix(r.URL.Path, "/")
	suffixed := strings.HasSuffix(name, ".json")
	name = strings.TrimSuffix(name, ".json")
	if name == "" && suffixed {
		a.serveIndex(w, r)
		return
	}
	ep := endpointByName(name)
	if ep == nil || (slash && !suffixed) || strings.Contains(name, ".") {
		writeJSON(w, http.StatusNotFound, detail("Not found."))
		return
	}
	h := ep.handler(r.Method)
	if h == nil {
		writeJSON(w, http.StatusMethodNotAllowed, detail(`Method "`+r.Method+`" not allowed.`))
		return
	}
	c, err := a.authenticate(r)
	if err != nil {
		writeError(w, err)
		return
	}
	c.w, c.api, c.ep = w, a, ep
	w.Header().Set("X-Temba-Workspace", c.ws.UUID)
	if hdr := r.Header.Get("X-Temba-Workspace"); hdr != "" && hdr != c.ws.UUID {
		writeJSON(w, http.StatusForbidden, detail("You do not have permission to perform this action."))
		return
	}
	if !c.allowed(ep, r.Method) {
		writeJSON(w, http.StatusForbidden, detail("You do not have permission to perform this action."))
		return
	}
	if !c.session {
		if wait, ok := a.throttle.allow(c.ws.ID, ep.scope(), a.rate(ep.scope()), time.Now()); !ok {
			secs := int(wait/time.Second) + 1
			w.Header().Set("Retry-After", itoa(secs))
			writeJSON(w, http.StatusTooManyRequests, detail("Request was throttled. Expected available in "+itoa(secs)+" seconds."))
			return
		}
	}
	if err := a.deduped(c, h); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			a.Log.Error("api", "method", r.Method, "path", r.URL.Path, "error", err)
		}
		writeError(w, err)
	}
}

// call is one authenticated request.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	api  *API
	ep   *endpoint
	ws   *store.Workspace
	user string
	role string
	// session is set for web-session callers, who are never throttled.
	session bool
}

func (c *call) ctx() context.Context { return c.r.Context() }

// view returns the runtime's current view of the caller's workspace.
func (c *call) view() (*runtime.Workspace, error) { return c.api.Runtime.Workspace(c.ctx(), c.ws.ID) }

func (c *call) ok(status int, v any) error {
	writeJSON(c.w, status, v)
	return nil
}
