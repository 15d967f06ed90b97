package chthttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"careflow/cht"
)

// writeError answers err in the shape CHT gives it (§0.2): CouchDB-shaped and firewall
// errors always as JSON; the generic {"code","error","details"} for JSON clients and the
// message as text for the others; anything unexpected, and every 5xx, masked as "Server
// error" (keeping a PublicError's details). Unexpected errors are logged with the request id.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var couch *cht.CouchError
	var forbidden *cht.ForbiddenError
	var invalid *cht.InvalidSettingsError
	var ce *cht.Error
	var throttled *cht.ThrottledError
	switch {
	case errors.As(err, &throttled):
		secs := int((throttled.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeJSON(w, http.StatusTooManyRequests, couchErrorBody{Error: "too_many_requests",
			Reason: fmt.Sprintf("Too many failed logins; try again in %d seconds.", secs)})
		return
	case errors.As(err, &couch):
		writeJSON(w, couch.Status, couchErrorBody{Error: couch.Code, Reason: couch.Reason})
		return
	case errors.As(err, &forbidden):
		writeJSON(w, http.StatusForbidden, errorBody{Code: 403, Error: "forbidden", Details: forbidden.Details})
		return
	case errors.As(err, &invalid):
		ce = &cht.Error{Status: http.StatusBadRequest, Message: invalid.Msg}
	case errors.As(err, &ce):
	default:
		log.Error("request failed", "method", r.Method, "path", shorten(r.URL.Path, 200), "request_id", r.Header.Get(requestIDHeader), "err", shorten(err.Error(), 500))
		ce = &cht.Error{Status: http.StatusInternalServerError}
	}
	status, msg := ce.Status, ce.Message
	if status >= 500 {
		if ce.Details == nil && ce.Message != "" {
			log.Warn("request refused", "method", r.Method, "path", shorten(r.URL.Path, 200), "request_id", r.Header.Get(requestIDHeader), "reason", shorten(ce.Message, 500))
		}
		status, msg = http.StatusInternalServerError, "Server error"
	}
	if wantsJSON(r) {
		body := errorBody{Code: status, Error: msg, Details: ce.Details}
		if ce.Translation != nil && status < 500 {
			body.Error = ce.Translation
		}
		writeJSON(w, status, body)
		return
	}
	text := msg
	if ce.Details != nil {
		d, _ := json.Marshal(ce.Details)
		text += ": " + string(d)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(text))
}

const jsonContentType = "application/json; charset=utf-8"

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := jsonBody(v)
	if err != nil {
		http.Error(w, `{"code":500,"error":"Server error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(status)
	w.Write(b)
}

// jsonBody is the body writeJSON sends for v.
func jsonBody(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return b.Bytes(), err
}

// wantsJSON is Express's req.accepts(['text','json']) === 'json': the Accept header ranks
// application/json above text/plain. No Accept header, or */*, means text.
func wantsJSON(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return false
	}
	best := func(typ string) (q float64, spec, index int) {
		q, spec, index = -1, -1, 1<<30
		for i, part := range strings.Split(accept, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			pq := 1.0
			if s, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(s, 64); err == nil {
					pq = f
				}
			}
			main, _, _ := strings.Cut(typ, "/")
			am, as, _ := strings.Cut(mt, "/")
			s := -1
			switch {
			case mt == typ:
				s = 2
			case am == main && as == "*":
				s = 1
			case am == "*" && as == "*":
				s = 0
			}
			if s < 0 {
				continue
			}
			if s > spec || (s == spec && pq > q) {
				q, spec, index = pq, s, i
			}
		}
		return q, spec, index
	}
	tq, ts, ti := best("text/plain")
	jq, js, ji := best("application/json")
	if jq <= 0 {
		return false
	}
	if tq <= 0 {
		return true
	}
	if jq != tq {
		return jq > tq
	}
	if js != ts {
		return js > ts
	}
	return ji < ti
}

// isJSONContent tells whether the request body is declared JSON (a charset parameter is fine).
func isJSONContent(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

// errContentType is CHT's refusal of a non-JSON body on its strict JSON routes.
var errContentType = &cht.Error{Status: http.StatusBadRequest, Message: "Content-Type must be application/json"}

// errorBody is CHT's generic error answer, members in its order.
type errorBody struct {
	Code    int `json:"code"`
	Error   any `json:"error"`
	Details any `json:"details,omitempty"`
}

// couchErrorBody is CouchDB's error answer.
type couchErrorBody struct {
	ID     string `json:"id,omitempty"`
	Error  string `json:"error"`
	Reason string `json:"reason"`
}
