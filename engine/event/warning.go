package event

// TypeWarning records a deprecation or a soft limit being hit.
const TypeWarning = "warning"

// Warning records a deprecation or a soft limit being hit.
type Warning struct {
	Base
	Text  string            `json:"text"`
	Code  string            `json:"code,omitempty"`
	Extra map[string]string `json:"extra,omitempty"`
}

// NewWarning builds the event.
func NewWarning(text, code string, extra map[string]string) *Warning {
	return &Warning{Base: base(TypeWarning), Text: text, Code: code, Extra: extra}
}

func init() { register(TypeWarning, func() Event { return &Warning{} }) }
