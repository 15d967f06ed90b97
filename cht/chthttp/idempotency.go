package chthttp

import (
	"errors"
	"net/http"

	"careflow/cht"
	"careflow/internal/idempotency"
)

// beginIdempotent starts an idempotent request (see internal/idempotency) in CHT's error
// shapes: a malformed key is a 400, a key reused for another request a 422. Without a Guard
// the header is ignored.
func (a *API) beginIdempotent(w http.ResponseWriter, r *http.Request, scope string, body []byte) (*idempotency.Claim, bool, error) {
	if a.Idempotency == nil {
		return nil, false, nil
	}
	c, done, err := a.Idempotency.Begin(w, r, scope, body)
	switch {
	case errors.Is(err, idempotency.ErrKeyInvalid):
		return nil, false, &cht.Error{Status: http.StatusBadRequest, Message: err.Error()}
	case errors.Is(err, idempotency.ErrKeyReused):
		return nil, false, &cht.Error{Status: http.StatusUnprocessableEntity, Message: err.Error()}
	}
	return c, done, err
}
