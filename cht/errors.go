package cht

import "fmt"

// Error is a caller mistake answered in CHT's generic error shape (api/src/server-utils.js):
// {"code":Status,"error":Message,"details":Details} for JSON clients, the message as text for
// the others. A Status of 500 or more is masked as "Server error", Message then only being
// logged, and Details (CHT's PublicError text) is the part the caller sees.
type Error struct {
	Status  int
	Message string
	Details any
	// Translation, when set, replaces the "error" string by CHT's translatable error object
	// {message, translationKey, translationParams} (the users API answers this way).
	Translation *Translation
}

// Translation is a translatable error as the users API returns it.
type Translation struct {
	Message string         `json:"message"`
	Key     string         `json:"translationKey"`
	Params  map[string]any `json:"translationParams,omitempty"`
}

func (e *Error) Error() string {
	if e.Details != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Details)
	}
	return e.Message
}

// CouchError is an error in CouchDB's shape, {"error":Code,"reason":Reason}, always JSON: the
// database endpoints (/medic/..., /_session) and contacts-by-phone answer this way.
type CouchError struct {
	Status int
	Code   string
	Reason string
}

func (e *CouchError) Error() string { return e.Code + ": " + e.Reason }

// ForbiddenError is CHT's firewall refusal, always JSON:
// {"code":403,"error":"forbidden","details":Details}.
type ForbiddenError struct {
	Details string
}

func (e *ForbiddenError) Error() string { return "forbidden: " + e.Details }

// ErrOfflineUser is the firewall refusal CHT gives offline users on online-only endpoints.
var ErrOfflineUser = &ForbiddenError{Details: "Offline users are not allowed access to this endpoint"}

// ErrInsufficientPrivileges is the 403 of a failed permission check.
var ErrInsufficientPrivileges = &Error{Status: 403, Message: "Insufficient privileges"}

// publicError is CHT's PublicError: a client mistake that CHT answers as a 500 whose details
// carry the message (the records API reports missing _meta and unknown forms this way).
func publicError(msg string) *Error {
	return &Error{Status: 500, Message: msg, Details: msg}
}

// badRequest is a 400 in the generic shape.
func badRequest(format string, args ...any) *Error {
	return &Error{Status: 400, Message: fmt.Sprintf(format, args...)}
}
