package event

// TypeFailure records a fatal run failure.
const TypeFailure = "failure"

// Failure records a fatal run failure.
type Failure struct {
	Base
	Text string `json:"text"`
}

// NewFailure builds the event.
func NewFailure(text string) *Failure { return &Failure{Base: base(TypeFailure), Text: text} }

func init() { register(TypeFailure, func() Event { return &Failure{} }) }
