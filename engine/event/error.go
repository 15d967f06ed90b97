package event

// TypeError records a non-fatal problem with the flow content.
const TypeError = "error"

// Error records a non-fatal problem with the flow content.
type Error struct {
	Base
	Text  string            `json:"text"`
	Code  string            `json:"code,omitempty"`
	Extra map[string]string `json:"extra,omitempty"`
}

// NewError builds the event.
func NewError(text, code string, extra map[string]string) *Error {
	return &Error{Base: base(TypeError), Text: text, Code: code, Extra: extra}
}

func init() { register(TypeError, func() Event { return &Error{} }) }
