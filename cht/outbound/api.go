package outbound

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"careflow/internal/jsonbody"
	"careflow/store"
)

// AdminCheck decides whether a request may use the admin API: 0 lets it through, else the
// status to answer (401 not authenticated, 403 not an admin). It may write the response
// itself (a login prompt) and return the status it wrote.
type AdminCheck func(w http.ResponseWriter, r *http.Request) (status int, written bool)

// API is the admin HTTP surface of outbound push:
//
//	GET  /api/v1/outbound/pushes?state=dead&doc=ID&config=NAME&limit=100&offset=0
//	POST /api/v1/outbound/pushes/requeue   {"ids":[…]} or {"config":…,"doc":…} (dead pushes only)
//	POST /api/v1/outbound/test             a DryRun: {"config":…|"proposed":{…}, "doc_ids"|"doc"|"type"/"form"}
type API struct {
	Service *Service
	Admin   AdminCheck
	// Timeout bounds the time of one re-queue or dry run (DefaultAPITimeout when 0).
	Timeout time.Duration
}

// Bounds of one admin request, so that no single call can tie up the database or the
// JavaScript sandbox for long.
const (
	// MaxRequeueIDs is the most push ids one re-queue may name.
	MaxRequeueIDs = 1000
	// MaxDryRunDocs is the most documents one dry run may evaluate (doc_ids or limit).
	MaxDryRunDocs = 200
	// DefaultAPITimeout bounds one re-queue or dry run.
	DefaultAPITimeout = 30 * time.Second
)

func (a *API) timeout() time.Duration {
	if a.Timeout > 0 {
		return a.Timeout
	}
	return DefaultAPITimeout
}

// readBody reads a JSON body of at most max bytes into v, answering a refusal itself.
func readBody(w http.ResponseWriter, r *http.Request, max int64, v any) bool {
	b, err := jsonbody.Read(r.Body, jsonbody.Limits{MaxBytes: max})
	var je *jsonbody.Error
	switch {
	case errors.As(err, &je) && je.TooLarge:
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"code": 413, "error": je.Error()})
		return false
	case err != nil:
		badRequest(w, "malformed JSON body: "+err.Error())
		return false
	}
	if err := json.Unmarshal(b, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			badRequest(w, "body member "+te.Field+" has the wrong type ("+te.Value+")")
		} else {
			badRequest(w, "the body must be a JSON object")
		}
		return false
	}
	return true
}

// Register adds the routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/outbound/pushes", a.admin(a.list))
	mux.HandleFunc("POST /api/v1/outbound/pushes/requeue", a.admin(a.requeue))
	mux.HandleFunc("POST /api/v1/outbound/test", a.admin(a.test))
}

func (a *API) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.Admin == nil {
			writeJSON(w, http.StatusForbidden, map[string]any{"code": 403, "error": "Insufficient privileges"})
			return
		}
		if st, written := a.Admin(w, r); st != 0 {
			if !written {
				msg := "Insufficient privileges"
				if st == http.StatusUnauthorized {
					msg = "unauthorized"
				}
				writeJSON(w, st, map[string]any{"code": st, "error": msg})
			}
			return
		}
		h(w, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func badRequest(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"code": 400, "error": msg})
}

// PushView is a push as the API and CLI show it.
type PushView struct {
	ID          int64           `json:"id"`
	DocID       string          `json:"doc_id"`
	Config      string          `json:"config"`
	Destination string          `json:"destination"`
	State       store.PushState `json:"state"`
	Attempts    int             `json:"attempts"`
	LastStatus  int             `json:"last_status,omitempty"`
	LastError   string          `json:"last_error,omitempty"`
	// Eval says the payload could not be built at write time and is evaluated at each try.
	Eval       string          `json:"eval,omitempty"`
	NextTry    string          `json:"next_try,omitempty"`
	EnqueuedAt string          `json:"enqueued_at"`
	SentAt     string          `json:"sent_at,omitempty"`
	DocRev     string          `json:"doc_rev,omitempty"`
	Hash       string          `json:"hash"`
	SentHash   string          `json:"sent_hash,omitempty"`
	Payload    json.RawMessage `json:"payload,omitempty"`
}

func msTime(ms int64) string {
	if ms <= 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano)
}

// View renders p for display.
func View(p store.Push) PushView {
	v := PushView{ID: p.ID, DocID: p.DocID, Config: p.Config, Destination: p.Destination, State: p.State,
		Attempts: p.Attempts, LastStatus: p.LastStatus, LastError: p.LastError, EnqueuedAt: msTime(p.EnqueuedAt),
		SentAt: msTime(p.SentAt), DocRev: p.DocRev, Hash: p.Hash, SentHash: p.SentHash, Eval: p.Eval}
	if p.State == store.PushPending {
		v.NextTry = msTime(p.NextAt)
	}
	if json.Valid(p.Body) {
		v.Payload = p.Body
	}
	return v
}

func queryFrom(r *http.Request) (store.PushQuery, error) {
	for name, vs := range r.URL.Query() {
		for _, v := range append(vs, name) {
			if msg := jsonbody.TextProblem(v); msg != "" {
				return store.PushQuery{}, errors.New("query parameter " + strconv.Quote(jsonbody.Short(name, 40)) + ": " + msg)
			}
		}
	}
	q := store.PushQuery{State: store.PushState(r.URL.Query().Get("state")), DocID: r.URL.Query().Get("doc"), Config: r.URL.Query().Get("config")}
	switch q.State {
	case "", store.PushPending, store.PushSent, store.PushDead:
	default:
		return q, errors.New("state must be pending, sent or dead")
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"limit", &q.Limit}, {"offset", &q.Offset}} {
		if s := r.URL.Query().Get(f.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				return q, errors.New(f.name + " must be a non-negative number")
			}
			*f.dst = n
		}
	}
	if q.Limit > 1000 {
		q.Limit = 1000
	}
	return q, nil
}

func (a *API) list(w http.ResponseWriter, r *http.Request) {
	q, err := queryFrom(r)
	if err != nil {
		badRequest(w, err.Error())
		return
	}
	ps, err := a.Service.Store.ListPushes(r.Context(), q)
	if err != nil {
		a.Service.Log.Error("outbound api: list", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"code": 500, "error": "Server error"})
		return
	}
	counts, err := a.Service.Store.CountPushes(r.Context())
	if err != nil {
		a.Service.Log.Error("outbound api: count", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"code": 500, "error": "Server error"})
		return
	}
	views := make([]PushView, len(ps))
	for i, p := range ps {
		views[i] = View(p)
	}
	writeJSON(w, http.StatusOK, map[string]any{"pushes": views, "counts": counts})
}

func (a *API) requeue(w http.ResponseWriter, r *http.Request) {
	var body struct {
		IDs    []int64 `json:"ids"`
		Config string  `json:"config"`
		Doc    string  `json:"doc"`
		All    bool    `json:"all"`
	}
	if !readBody(w, r, 1<<20, &body) {
		return
	}
	if len(body.IDs) == 0 && body.Config == "" && body.Doc == "" && !body.All {
		badRequest(w, `say which dead pushes to re-queue: "ids", "config", "doc", or "all": true`)
		return
	}
	if len(body.IDs) > MaxRequeueIDs {
		badRequest(w, fmt.Sprintf("at most %d ids per re-queue; got %d", MaxRequeueIDs, len(body.IDs)))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.timeout())
	defer cancel()
	n, err := a.Service.Requeue(ctx, store.PushQuery{IDs: body.IDs, Config: body.Config, DocID: body.Doc})
	if ctx.Err() == context.DeadlineExceeded {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"code": 503, "error": fmt.Sprintf("re-queue took longer than %v; nothing was changed", a.timeout())})
		return
	}
	if err != nil {
		a.Service.Log.Error("outbound api: requeue", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"code": 500, "error": "Server error"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"requeued": n})
}

func (a *API) test(w http.ResponseWriter, r *http.Request) {
	var req DryRun
	if !readBody(w, r, 32<<20, &req) {
		return
	}
	switch {
	case len(req.DocIDs) > MaxDryRunDocs:
		badRequest(w, fmt.Sprintf("at most %d doc_ids per dry run; got %d", MaxDryRunDocs, len(req.DocIDs)))
		return
	case req.Limit > MaxDryRunDocs:
		badRequest(w, fmt.Sprintf("limit must be at most %d", MaxDryRunDocs))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.timeout())
	defer cancel()
	res, err := a.Service.DryRun(ctx, req)
	if ctx.Err() == context.DeadlineExceeded {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"code": 503,
			"error": fmt.Sprintf("dry run stopped after %v; ask for fewer documents (doc_ids or limit)", a.timeout())})
		return
	}
	if err != nil {
		if errors.Is(err, ErrUnknownConfig) {
			writeJSON(w, http.StatusNotFound, map[string]any{"code": 404, "error": err.Error()})
			return
		}
		if ie := (*InputError)(nil); errors.As(err, &ie) {
			badRequest(w, err.Error())
			return
		}
		a.Service.Log.Error("outbound api: dry run", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"code": 500, "error": "Server error"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": res})
}
