package api

import (
	"bytes"
	"net/http"
)

// Deduper makes API writes idempotent for senders that retry, such as CHT's outbound push
// with its idempotency key header: a write whose key was already answered gets the first
// answer again instead of being done twice. The receiver-side store of keys is built with the
// outbound push work; the API only calls it (API.Dedupe nil: every write is done).
type Deduper interface {
	// Seen returns the stored answer for the request's key in the workspace, if any.
	Seen(r *http.Request, workspaceID int64) (status int, body []byte, ok bool, err error)
	// Remember stores the answer to a request carrying a key.
	Remember(r *http.Request, workspaceID int64, status int, body []byte) error
}

// recorder keeps a copy of a successful answer for the Deduper.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// deduped runs a write through the Deduper: a known key replays its answer; a new one is
// handled and its successful answer remembered.
func (a *API) deduped(c *call, h handlerFunc) error {
	if a.Dedupe == nil || c.r.Method != http.MethodPost {
		return h(c)
	}
	status, body, ok, err := a.Dedupe.Seen(c.r, c.ws.ID)
	if err != nil {
		return err
	}
	if ok {
		c.w.Header().Set("Content-Type", "application/json")
		c.w.WriteHeader(status)
		_, _ = c.w.Write(body)
		return nil
	}
	rec := &recorder{ResponseWriter: c.w, status: http.StatusOK}
	c.w = rec
	if err := h(c); err != nil {
		return err
	}
	if rec.status < 300 {
		return a.Dedupe.Remember(c.r, c.ws.ID, rec.status, rec.body.Bytes())
	}
	return nil
}
