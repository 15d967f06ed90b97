package event

// TypeWaitExpired carries a wait expiration (wait_expiration resumes).
const TypeWaitExpired = "wait_expired"

// WaitExpired carries a wait expiration.
type WaitExpired struct {
	Base
}

func init() { register(TypeWaitExpired, func() Event { return &WaitExpired{} }) }
