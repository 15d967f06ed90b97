package services

import (
	"errors"

	"careflow/engine"

	"github.com/shopspring/decimal"
)

// ErrNotConfigured is matched (errors.Is) by every error this package returns because a
// workspace has not set a service up, so callers can tell set-up gaps from failures.
var ErrNotConfigured = errors.New("service not configured")

// notConfiguredError carries the message a flow's error event shows.
type notConfiguredError struct{ msg string }

func (e *notConfiguredError) Error() string        { return e.msg }
func (e *notConfiguredError) Is(target error) bool { return target == ErrNotConfigured }

// ErrNoAirtime is NoAirtime's answer.
var ErrNoAirtime error = &notConfiguredError{msg: "airtime transfers are not configured for this workspace"}

// ErrNoClassifier is the answer for NLU classifiers, which RapidPro no longer supports and
// careflow never did (call_classifier only warns).
var ErrNoClassifier error = &notConfiguredError{msg: "NLU classifiers are not configured (no longer supported)"}

// NoAirtime is the airtime service of a workspace without an airtime provider: every
// transfer_airtime fails with ErrNoAirtime, which the engine turns into an error event.
type NoAirtime struct{}

// Transfer always fails with ErrNoAirtime.
func (NoAirtime) Transfer(string, string, map[string]decimal.Decimal) (*engine.AirtimeTransfer, error) {
	return nil, ErrNoAirtime
}

var _ engine.Airtime = NoAirtime{}
