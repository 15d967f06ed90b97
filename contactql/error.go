package contactql

import (
	"errors"
	"fmt"
)

// Error codes of query errors, matching the reference's codes (RapidPro shows them to users and
// the API returns them). The keys each code puts in Extra are listed beside it.
const (
	ErrSyntax                = "syntax"                 // no extra
	ErrInvalidNumber         = "invalid_number"         // value
	ErrInvalidDate           = "invalid_date"           // value
	ErrInvalidStatus         = "invalid_status"         // value
	ErrInvalidLanguage       = "invalid_language"       // value
	ErrInvalidGroup          = "invalid_group"          // value
	ErrInvalidFlow           = "invalid_flow"           // value
	ErrInvalidPartialName    = "invalid_partial_name"   // min_token_length
	ErrInvalidPartialURN     = "invalid_partial_urn"    // min_value_length
	ErrUnsupportedContains   = "unsupported_contains"   // property
	ErrUnsupportedComparison = "unsupported_comparison" // property, operator
	ErrUnsupportedSetCheck   = "unsupported_setcheck"   // property, operator
	ErrUnknownPropertyType   = "unknown_property_type"  // type
	ErrUnknownProperty       = "unknown_property"       // property
	ErrRedactedURNs          = "redacted_urns"          // no extra
	ErrTooComplex            = "too_complex"            // no extra
	ErrUnresolved            = "unresolved"             // no extra; evaluating a query parsed without assets
)

// Error is a problem with a query: it can't be parsed, refers to something that doesn't exist,
// or uses an operator its property doesn't support. Message is the reference's wording; Code
// is one of the Err… constants and Extra holds the code's details (all values are strings).
type Error struct {
	Code    string
	Message string
	Extra   map[string]string
}

// newError returns an Error with the code and formatted message.
func newError(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// with adds one key/value pair to the error's extra details and returns the error.
func (e *Error) with(key, value string) *Error {
	if e.Extra == nil {
		e.Extra = map[string]string{}
	}
	e.Extra[key] = value
	return e
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// AsError returns the query error inside err, if there is one.
func AsError(err error) (*Error, bool) {
	var qe *Error
	ok := errors.As(err, &qe)
	return qe, ok
}
