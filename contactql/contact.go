package contactql

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Contact is what Evaluate reads from a contact. The engine implements it over its own contact
// type; every method is a plain accessor that can't fail.
type Contact interface {
	// UUID returns the contact's UUID.
	UUID() string
	// ID returns the contact's numeric id, or 0 when it has none.
	ID() int64
	// Name returns the name, or "" when unnamed.
	Name() string
	// Language returns the ISO 639-3 language, or "".
	Language() string
	// Status returns active, blocked, stopped or archived.
	Status() string
	// CreatedOn returns when the contact was created.
	CreatedOn() time.Time
	// LastSeenOn returns when the contact last sent a message, and false if never.
	LastSeenOn() (time.Time, bool)
	// URNs returns the contact's URNs in priority order, without channel or display parts.
	URNs() []URN
	// Groups returns the groups the contact is in.
	Groups() []GroupRef
	// FieldValue returns the value of the field with the key, and false when it is not set.
	FieldValue(key string) (FieldValue, bool)
	// OpenTickets returns how many open tickets the contact has.
	OpenTickets() int
}

// FlowContact is implemented by contacts that know their flows, so the flow and history
// attributes can be answered. Contacts that don't implement it have no flow and no history, as
// in the reference's in-memory evaluation.
type FlowContact interface {
	// CurrentFlow returns the UUID of the flow the contact is waiting in, or "".
	CurrentFlow() string
	// FlowHistory returns the UUIDs of the flows the contact has been in recently.
	FlowHistory() []string
}

// RefContact is implemented by contacts that can give their obfuscated reference (the
// @contact.ref code), so ref conditions can be answered. Others have no ref.
type RefContact interface {
	Ref() string
}

// URN is one of a contact's URNs, split into scheme and path.
type URN struct {
	Scheme string
	Path   string
}

// ParseURN splits scheme:path[?query][#display] into scheme and path; ok is false when there is
// no colon or either part is empty. The scheme isn't checked, so unknown schemes still split.
func ParseURN(s string) (URN, bool) {
	scheme, path, ok := strings.Cut(s, ":")
	if !ok {
		return URN{}, false
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	return URN{Scheme: scheme, Path: path}, scheme != "" && path != ""
}

// GroupRef is a group: one the contact is in, or one a query names.
type GroupRef struct {
	UUID string `json:"uuid,omitempty"`
	Name string `json:"name"`
}

// FieldValue is a contact field value with all of its interpretations (flows.md §9.1.2). Which
// one a query reads depends on the field's type: Text for text fields, Number for number
// fields, Datetime for datetime fields, and the location's name for state, district and ward
// fields. Location values may be full paths ("Rwanda > Kigali City"); queries compare the last
// part.
type FieldValue struct {
	Text     string
	Number   *decimal.Decimal
	Datetime *time.Time
	State    string
	District string
	Ward     string
}

// forType returns the value a query of the given type reads, or nil when there is none.
func (v FieldValue) forType(t ValueType) any {
	switch t {
	case TypeText:
		if v.Text != "" {
			return v.Text
		}
	case TypeNumber:
		if v.Number != nil {
			return *v.Number
		}
	case TypeDatetime:
		if v.Datetime != nil {
			return *v.Datetime
		}
	case TypeState:
		return locationName(v.State)
	case TypeDistrict:
		return locationName(v.District)
	case TypeWard:
		return locationName(v.Ward)
	}
	return nil
}

// locationName returns the last part of a location path, or nil for an empty path.
func locationName(path string) any {
	if path == "" {
		return nil
	}
	if i := strings.LastIndex(path, ">"); i >= 0 {
		path = path[i+1:]
	}
	return strings.TrimSpace(path)
}
