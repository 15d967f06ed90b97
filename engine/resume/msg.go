package resume

import (
	"fmt"

	"careflow/engine"
	"careflow/engine/event"
)

// TypeMsg resumes a session with a new message from the contact.
const TypeMsg = "msg"

func init() {
	engine.RegisterResume(TypeMsg, &engine.ResumeType{
		Read: func(r *engine.Resume) error {
			e, ok := engine.ReadEventOfType(r.Event, event.TypeMsgReceived)
			if !ok {
				return fmt.Errorf("field 'event' is required")
			}
			r.Parsed = e
			return nil
		},
		Apply: func(s *engine.Session, r *engine.Resume, run *engine.Run) bool {
			e := r.Parsed.(*event.MsgReceived)
			s.Input = engine.InputFromMsg(e, s.Assets())
			t := s.Input.CreatedOn
			s.Contact().LastSeenOn = &t
			run.RecordInput()
			return false
		},
	})
}
