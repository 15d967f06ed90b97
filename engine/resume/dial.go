package resume

import (
	"fmt"

	"careflow/engine"
	"careflow/engine/event"
)

// TypeDial resumes a voice session when a dial ended; @resume.dial carries the outcome.
const TypeDial = "dial"

func init() {
	engine.RegisterResume(TypeDial, &engine.ResumeType{
		Read: func(r *engine.Resume) error {
			e, ok := engine.ReadEventOfType(r.Event, event.TypeDialEnded)
			if !ok {
				return fmt.Errorf("field 'event' is required")
			}
			r.Parsed = e
			return nil
		},
		Apply: func(s *engine.Session, r *engine.Resume, run *engine.Run) bool {
			s.Input = nil
			return false
		},
	})
}
