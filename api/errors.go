package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"careflow/runtime"
	"careflow/store"
)

// apiError is a response that ends a call: a status with a DRF-shaped body.
type apiError struct {
	status int
	body   any
}

func (e *apiError) Error() string {
	b, _ := json.Marshal(e.body)
	return strconv.Itoa(e.status) + " " + string(b)
}

// detail is DRF's body for errors that are not about one field.
func detail(msg string) map[string]string { return map[string]string{"detail": msg} }

// errDetail is a 4xx with a {"detail": ...} body (query parameter problems, not found, ...).
func errDetail(status int, msg string) error { return &apiError{status, detail(msg)} }

var errNotFound = errDetail(http.StatusNotFound, "Not found.")

// fieldErrors gathers validation errors by field, as a DRF serializer reports them.
type fieldErrors map[string]any

func (f fieldErrors) add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = []string{msg}
	}
}

// addIndexed records an error for one item of a list field: {"urns": {"0": [...]}}.
func (f fieldErrors) addIndexed(field string, i int, msg string) {
	m, ok := f[field].(map[string][]string)
	if !ok {
		if _, taken := f[field]; taken {
			return
		}
		m = map[string][]string{}
		f[field] = m
	}
	m[strconv.Itoa(i)] = append(m[strconv.Itoa(i)], msg)
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return &apiError{http.StatusBadRequest, map[string]any(f)}
}

func fieldErr(field, msg string) error {
	return &apiError{http.StatusBadRequest, map[string][]string{field: {msg}}}
}

var invalidPrefix = regexp.MustCompile(`^([a-z_]+): (.+)$`)

// fromRuntime turns a runtime validation error ("field: message") into the DRF body naming
// the field; anything else is a server error.
func fromRuntime(err error) error {
	var ie *runtime.InvalidError
	if errors.As(err, &ie) {
		field, msg := "non_field_errors", ie.Msg
		if m := invalidPrefix.FindStringSubmatch(ie.Msg); m != nil {
			field, msg = m[1], m[2]
		}
		return fieldErr(field, upperFirst(msg))
	}
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	return err
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	b, err := marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"detail":"Server Error."}`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// marshal encodes like DRF: compact, non-ASCII as UTF-8 and no HTML escaping.
func marshal(v any) ([]byte, error) {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(sb.String(), "\n")), nil
}

// writeError answers an error: an apiError as it is, anything else as RapidPro's plain-text 500.
func writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		writeJSON(w, ae.status, ae.body)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte("Server Error. Site administrators have been notified.\n"))
}

func itoa(n int) string { return strconv.Itoa(n) }
