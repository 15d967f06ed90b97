package event

// TypeWaitTimedOut carries a wait timeout (wait_timeout resumes).
const TypeWaitTimedOut = "wait_timed_out"

// WaitTimedOut carries a wait timeout.
type WaitTimedOut struct {
	Base
}

func init() { register(TypeWaitTimedOut, func() Event { return &WaitTimedOut{} }) }
