package store

import (
	"context"
	"time"
)

// SMSGatewayStore remembers the ids of messages the cht-gateway app handed in, so one message
// becomes one record however often the app posts it.
type SMSGatewayStore interface {
	// ClaimGatewayRef records ref and reports true when it was not seen before.
	ClaimGatewayRef(ctx context.Context, ref string, now time.Time) (bool, error)
	// ReleaseGatewayRef forgets ref (its record could not be saved; the app will post it again).
	ReleaseGatewayRef(ctx context.Context, ref string) error
}
