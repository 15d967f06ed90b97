package expr

import "fmt"

// Error is an error value. Errors are ordinary values (spec §3): they flow through operators
// and functions until a template turns them into empty text plus a recorded error, or a
// function such as is_error, default or has_error inspects them.
type Error struct {
	msg string
	// fatal marks the budget error, which aborts the whole evaluation.
	fatal bool
}

// NewError returns an error value with the given message.
func NewError(msg string) *Error { return &Error{msg: msg} }

// Errorf returns an error value with a formatted message.
func Errorf(format string, args ...any) *Error { return &Error{msg: fmt.Sprintf(format, args...)} }

// Type returns TypeError.
func (e *Error) Type() Type { return TypeError }

// Describe returns the message.
func (e *Error) Describe() string { return e.msg }

// Error returns the message, so *Error is also a Go error.
func (e *Error) Error() string { return e.msg }

// TooComplex reports whether this is the budget error ("expression is too complex to
// evaluate"), which the engine reports with code expression:too_complex.
func (e *Error) TooComplex() bool { return e.fatal }

var (
	errNumberRange = NewError("number value out of range")
	errDivByZero   = NewError("division by zero")
	errTooComplex  = &Error{msg: "expression is too complex to evaluate", fatal: true}
	errTooDeep     = NewError("expression nesting too deep")
)

// asError returns v as an error value if it is one.
func asError(v Value) (*Error, bool) {
	e, ok := resolve(v).(*Error)
	return e, ok
}
