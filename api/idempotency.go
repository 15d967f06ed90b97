package api

import (
	"errors"
	"net/http"

	"careflow/internal/idempotency"
)

// idempotent looks up the request's Idempotency-Key: done when the key was answered before
// (the first answer has been written again); otherwise the claim to record with the write
// (nil without a key or without a guard).
func (c *call) idempotent(b *body) (*idempotency.Claim, bool, error) {
	if c.api.Idempotency == nil {
		return nil, false, nil
	}
	scope := "api.v2:" + c.ep.name + ":" + c.ws.UUID
	claim, done, err := c.api.Idempotency.Begin(c.w, c.r, scope, b.raw)
	switch {
	case errors.Is(err, idempotency.ErrKeyInvalid):
		return nil, false, errDetail(http.StatusBadRequest, err.Error())
	case errors.Is(err, idempotency.ErrKeyReused):
		return nil, false, errDetail(http.StatusUnprocessableEntity, err.Error())
	}
	return claim, done, err
}
