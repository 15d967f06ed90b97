package outbound

import (
	"fmt"
	"time"
)

// PermanentError is a push that cannot succeed by being tried again (its config was removed);
// it is dead-lettered at once.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent marks err as not worth retrying.
func Permanent(err error) error { return &PermanentError{Err: err} }

// RetryAfterError is a failure whose destination said when to come back (Retry-After).
type RetryAfterError struct {
	After time.Duration
	Err   error
}

func (e *RetryAfterError) Error() string { return e.Err.Error() }
func (e *RetryAfterError) Unwrap() error { return e.Err }

// RetryAfter marks err as retryable no sooner than d from now.
func RetryAfter(d time.Duration, err error) error { return &RetryAfterError{After: d, Err: err} }

// StatusError is a response that does not count as success; Error is CHT's
// "<status> - <JSON of the sanitised body>".
type StatusError struct {
	Status int
	Body   string
}

func (e *StatusError) Error() string { return fmt.Sprintf("%d - %s", e.Status, e.Body) }
