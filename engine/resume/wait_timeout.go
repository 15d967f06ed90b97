package resume

import (
	"careflow/engine"
	"careflow/engine/event"
)

// TypeWaitTimeout resumes a session whose wait timed out: the timeout category is taken.
const TypeWaitTimeout = "wait_timeout"

func init() {
	engine.RegisterResume(TypeWaitTimeout, &engine.ResumeType{
		Read: func(r *engine.Resume) error {
			r.Parsed, _ = engine.ReadEventOfType(r.Event, event.TypeWaitTimedOut)
			return nil
		},
		Apply: func(s *engine.Session, r *engine.Resume, run *engine.Run) bool {
			s.Input = nil
			return false
		},
		Timeout: true,
	})
}
