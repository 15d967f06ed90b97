package event

import "time"

// TypeDialWait is emitted when a voice run starts waiting for a dial to end.
const TypeDialWait = "dial_wait"

// DialWait is emitted when a voice run starts waiting for a dial to end.
type DialWait struct {
	Base
	URN              string    `json:"urn"`
	DialLimitSeconds int       `json:"dial_limit_seconds"`
	CallLimitSeconds int       `json:"call_limit_seconds"`
	ExpiresOn        time.Time `json:"expires_on"`
}

// NewDialWait builds the event.
func NewDialWait(urn string, dial, call int, expiresOn time.Time) *DialWait {
	return &DialWait{Base: base(TypeDialWait), URN: urn, DialLimitSeconds: dial, CallLimitSeconds: call, ExpiresOn: expiresOn}
}

func init() { register(TypeDialWait, func() Event { return &DialWait{} }) }
