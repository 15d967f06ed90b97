package chthttp

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"careflow/cht"
	"careflow/internal/jsonbody"
)

// Limits bounds what the CHT surface reads from a request before and after authentication.
type Limits struct {
	// MaxBody is the largest body an authenticated route reads (CHT's 32 MiB when 0).
	MaxBody int64
	// MaxAuthBody is the largest POST /_session body: a name and a password, read before
	// anyone is authenticated, so small (DefaultMaxAuthBody when 0).
	MaxAuthBody int64
	// MaxDepth is the deepest JSON nesting accepted in any body (jsonbody.DefaultMaxDepth when 0).
	MaxDepth int
}

// DefaultMaxAuthBody bounds a login body: CouchDB's _session takes a name and a password.
const DefaultMaxAuthBody = 16 << 10

func (l Limits) body() int64 {
	if l.MaxBody > 0 {
		return l.MaxBody
	}
	return jsonbody.DefaultMaxBytes
}

func (l Limits) authBody() int64 {
	if l.MaxAuthBody > 0 {
		return l.MaxAuthBody
	}
	return DefaultMaxAuthBody
}

// errTooLarge is CHT's answer to a body over the limit; errCouchTooLarge CouchDB's.
var (
	errTooLarge      = &cht.Error{Status: http.StatusRequestEntityTooLarge, Message: "Payload Too Large"}
	errCouchTooLarge = &cht.CouchError{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Reason: "the request entity is too large"}
)

// readJSON reads a JSON body through jsonbody (size, depth, UTF-8, NUL, duplicate keys,
// trailing data) and answers a refusal as a 400 in the generic shape, 413 when too large.
func (a *API) readJSON(r *http.Request, lim jsonbody.Limits) ([]byte, error) {
	return a.readJSONAs(r, lim, "malformed JSON body: ")
}

// readJSONAs is readJSON with the refusal's message starting with prefix.
func (a *API) readJSONAs(r *http.Request, lim jsonbody.Limits, prefix string) ([]byte, error) {
	b, err := a.readJSONRaw(r, lim)
	var je *jsonbody.Error
	if errors.As(err, &je) {
		if je.TooLarge {
			return nil, errTooLarge
		}
		return nil, &cht.Error{Status: http.StatusBadRequest, Message: prefix + je.Error()}
	}
	return b, err
}

// readCouchJSON is readJSON for the CouchDB-shaped routes: {"error":"bad_request","reason":…}.
func (a *API) readCouchJSON(r *http.Request, lim jsonbody.Limits) ([]byte, error) {
	b, err := a.readJSONRaw(r, lim)
	var je *jsonbody.Error
	if errors.As(err, &je) {
		if je.TooLarge {
			return nil, errCouchTooLarge
		}
		return nil, &cht.CouchError{Status: http.StatusBadRequest, Code: "bad_request", Reason: "invalid JSON: " + je.Error()}
	}
	return b, err
}

func (a *API) readJSONRaw(r *http.Request, lim jsonbody.Limits) ([]byte, error) {
	if lim.MaxBytes == 0 {
		lim.MaxBytes = a.Limits.body()
	}
	if lim.MaxDepth == 0 {
		lim.MaxDepth = a.Limits.MaxDepth
	}
	b, err := jsonbody.Read(r.Body, lim)
	return b, bodyReadError(err)
}

// readText reads a non-JSON body (form-encoded, text/plain) within the limit; invalid UTF-8
// and NUL bytes are refused, as no store keeps them faithfully.
func (a *API) readText(r *http.Request, max int64) ([]byte, error) {
	if max == 0 {
		max = a.Limits.body()
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, max+1))
	if err = bodyReadError(err); err != nil {
		if je := (*jsonbody.Error)(nil); errors.As(err, &je) {
			return nil, errTooLarge
		}
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, errTooLarge
	}
	if msg := badText(string(b)); msg != "" {
		return nil, &cht.Error{Status: http.StatusBadRequest, Message: "Invalid request body: " + msg}
	}
	return b, nil
}

// bodyReadError turns a failure to read the body itself into an answer: the connection's
// own limits (http.MaxBytesReader) are a 413; anything else (a client gone, a read timeout)
// is reported as a 400, since nothing was read to act on.
func bodyReadError(err error) error {
	if err == nil {
		return nil
	}
	var tooBig *http.MaxBytesError
	var je *jsonbody.Error
	switch {
	case errors.As(err, &tooBig):
		return &jsonbody.Error{TooLarge: true, Msg: "body larger than " + strconv.FormatInt(tooBig.Limit, 10) + " bytes"}
	case errors.As(err, &je):
		return err
	}
	return &cht.Error{Status: http.StatusBadRequest, Message: "could not read the request body"}
}

// badText says what is wrong with s as text the stores can keep, or "".
func badText(s string) string { return jsonbody.TextProblem(s) }

// checkRequestText refuses a request whose path or query holds invalid UTF-8 or NUL: ids and
// keys come from them, and neither store keeps such bytes faithfully (PostgreSQL refuses
// them, SQLite stores bytes that come back as invalid JSON).
func checkRequestText(r *http.Request) error {
	if msg := badText(r.URL.Path); msg != "" {
		return &cht.Error{Status: http.StatusBadRequest, Message: "Invalid path: " + msg}
	}
	if r.URL.RawQuery == "" {
		return nil
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return &cht.Error{Status: http.StatusBadRequest, Message: "Invalid query string: malformed escape"}
	}
	for k, vs := range q {
		if msg := badText(k); msg != "" {
			return &cht.Error{Status: http.StatusBadRequest, Message: "Invalid query parameter name: " + msg}
		}
		for _, v := range vs {
			if msg := badText(v); msg != "" {
				return &cht.Error{Status: http.StatusBadRequest, Message: "Invalid query parameter " + strconv.Quote(shorten(k, 40)) + ": " + msg}
			}
		}
	}
	return nil
}

// shorten cuts s for an error message or a log line.
func shorten(s string, n int) string { return jsonbody.Short(s, n) }
