package flow

import "encoding/json"

// Wait types.
const (
	WaitMsg  = "msg"
	WaitDial = "dial"
)

// Hint types for msg waits.
const (
	HintImage    = "image"
	HintAudio    = "audio"
	HintVideo    = "video"
	HintLocation = "location"
	HintDigits   = "digits"
)

// Wait pauses a run on a router until the caller resumes it. A msg wait (Timeout and Hint
// optional) waits for the contact's next message; a dial wait (voice only) dials Phone and waits
// for the call to end.
type Wait struct {
	Type    string   // WaitMsg or WaitDial
	Timeout *Timeout // optional

	// msg only
	Hint *Hint

	// dial only
	Phone            string // template
	DialLimitSeconds int    // 0 means the default of 60
	CallLimitSeconds int    // 0 means the default of 7200
}

// Timeout routes a waiting run to CategoryUUID when no reply comes within Seconds.
type Timeout struct {
	Seconds      int          `json:"seconds"`
	CategoryUUID CategoryUUID `json:"category_uuid"`
}

// Hint tells the channel what kind of input a msg wait expects.
type Hint struct {
	Type         string `json:"type"`
	Count        *int   `json:"count,omitempty"`         // digits only
	TerminatedBy string `json:"terminated_by,omitempty"` // digits only
}

// DialLimit returns the seconds to let the dialled phone ring (default 60).
func (w *Wait) DialLimit() int {
	if w.DialLimitSeconds > 0 {
		return w.DialLimitSeconds
	}
	return 60
}

// CallLimit returns the longest the dialled call may last in seconds (default 7200).
func (w *Wait) CallLimit() int {
	if w.CallLimitSeconds > 0 {
		return w.CallLimitSeconds
	}
	return 7200
}

type waitJSON struct {
	Type             string   `json:"type"`
	Timeout          *Timeout `json:"timeout,omitempty"`
	Hint             *Hint    `json:"hint,omitempty"`
	Phone            *string  `json:"phone,omitempty"`
	DialLimitSeconds int      `json:"dial_limit_seconds,omitempty"`
	CallLimitSeconds int      `json:"call_limit_seconds,omitempty"`
}

// MarshalJSON writes the wait with the keys of its type.
func (w *Wait) MarshalJSON() ([]byte, error) {
	out := waitJSON{Type: w.Type, Timeout: w.Timeout}
	switch w.Type {
	case WaitMsg:
		out.Hint = w.Hint
	case WaitDial:
		p := w.Phone
		out.Phone = &p
		out.DialLimitSeconds = w.DialLimitSeconds
		out.CallLimitSeconds = w.CallLimitSeconds
	}
	return json.Marshal(&out)
}
