package event

// TypeDialEnded carries the outcome of a dial (dial resumes).
const TypeDialEnded = "dial_ended"

// DialEnded carries the outcome of a dial.
type DialEnded struct {
	Base
	Dial *Dial `json:"dial"`
}

func init() { register(TypeDialEnded, func() Event { return &DialEnded{} }) }

// DialValue gives the dial outcome for @resume.dial.
func (e *DialEnded) DialValue() (string, int) {
	if e.Dial == nil {
		return "", 0
	}
	return e.Dial.Status, e.Dial.Duration
}
