package engine

// Caller-only statuses (flows.md §9.3, §9.4): the engine never sets them by itself.
const (
	SessionInterrupted = "interrupted"
	RunInterrupted     = "interrupted"
)

// Interrupt ends a session from outside, as a caller does when the contact is started in
// another flow: every run still active or waiting is marked interrupted (with exited_on) and so
// is the session. No events are produced; the caller records the interruption itself.
func (s *Session) Interrupt() {
	now := s.now()
	for _, r := range s.Runs {
		if !r.Exited() {
			r.Status = RunInterrupted
			r.ExitedOn = &now
			r.ModifiedOn = now
			r.stateGen++
		}
	}
	s.Status = SessionInterrupted
	s.changed()
}
