package contactql

import "strings"

// PropertyType says what the left side of a condition names.
type PropertyType string

// Property types.
const (
	PropertyAttribute PropertyType = "attribute" // a fixed contact attribute such as name or created_on
	PropertyScheme    PropertyType = "scheme"    // the URNs of one scheme, e.g. tel
	PropertyField     PropertyType = "field"     // a contact field by key
)

// ValueType is the type a property's values are compared as: one of the field types.
type ValueType string

// Value types (also the contact field types of flows.md §2).
const (
	TypeText     ValueType = "text"
	TypeNumber   ValueType = "number"
	TypeDatetime ValueType = "datetime"
	TypeState    ValueType = "state"
	TypeDistrict ValueType = "district"
	TypeWard     ValueType = "ward"
)

// Valid reports whether t is one of the six field types.
func (t ValueType) Valid() bool {
	switch t {
	case TypeText, TypeNumber, TypeDatetime, TypeState, TypeDistrict, TypeWard:
		return true
	}
	return false
}

// Fixed attributes a query can name.
const (
	AttrUUID       = "uuid"
	AttrID         = "id"
	AttrRef        = "ref"
	AttrName       = "name"
	AttrStatus     = "status"
	AttrLanguage   = "language"
	AttrURN        = "urn"
	AttrGroup      = "group"
	AttrFlow       = "flow"
	AttrHistory    = "history"
	AttrTickets    = "tickets"
	AttrCreatedOn  = "created_on"
	AttrLastSeenOn = "last_seen_on"
)

// attributeTypes gives each fixed attribute its value type; everything not a number or a
// date compares as text.
var attributeTypes = map[string]ValueType{
	AttrUUID:       TypeText,
	AttrID:         TypeText,
	AttrRef:        TypeText,
	AttrName:       TypeText,
	AttrStatus:     TypeText,
	AttrLanguage:   TypeText,
	AttrURN:        TypeText,
	AttrGroup:      TypeText,
	AttrFlow:       TypeText,
	AttrHistory:    TypeText,
	AttrTickets:    TypeNumber,
	AttrCreatedOn:  TypeDatetime,
	AttrLastSeenOn: TypeDatetime,
}

// AttributeType returns the value type of a fixed attribute, and false when key isn't one.
func AttributeType(key string) (ValueType, bool) {
	t, ok := attributeTypes[key]
	return t, ok
}

// schemes are the URN schemes a query can name (flows.md §9.1.1).
var schemes = map[string]bool{
	"tel": true, "whatsapp": true, "facebook": true, "twitter": true, "twitterid": true,
	"telegram": true, "viber": true, "line": true, "mailto": true, "ext": true, "fcm": true,
	"freshchat": true, "instagram": true, "jiochat": true, "rocketchat": true, "slack": true,
	"vk": true, "webchat": true, "wechat": true, "bsuid": true,
}

// IsScheme reports whether s is a known URN scheme.
func IsScheme(s string) bool { return schemes[s] }

// statuses are the contact statuses a status condition may name.
var statuses = map[string]bool{"active": true, "blocked": true, "stopped": true, "archived": true}

// classifyProperty turns the property text of a condition into its type and key, the way the
// reference does: a "fields." or "urns." prefix decides, otherwise a fixed attribute wins over a
// scheme, and anything else is taken as a field key.
func classifyProperty(text string) (PropertyType, string, *Error) {
	text = strings.ToLower(text)
	if prefix, key, ok := strings.Cut(text, "."); ok {
		switch prefix {
		case "fields":
			return PropertyField, key, nil
		case "urns":
			return PropertyScheme, key, nil
		}
		return "", "", newError(ErrUnknownPropertyType, "unknown property type '%s'", prefix).with("type", prefix)
	}
	if _, ok := attributeTypes[text]; ok {
		return PropertyAttribute, text, nil
	}
	if schemes[text] {
		return PropertyScheme, text, nil
	}
	return PropertyField, text, nil
}
