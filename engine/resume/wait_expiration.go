package resume

import (
	"careflow/engine"
	"careflow/engine/event"
)

// TypeWaitExpiration resumes a session whose wait expired: the waiting run expires.
const TypeWaitExpiration = "wait_expiration"

func init() {
	engine.RegisterResume(TypeWaitExpiration, &engine.ResumeType{
		Read: func(r *engine.Resume) error {
			r.Parsed, _ = engine.ReadEventOfType(r.Event, event.TypeWaitExpired)
			return nil
		},
		Apply: func(s *engine.Session, r *engine.Resume, run *engine.Run) bool {
			s.Input = nil
			return true
		},
	})
}
