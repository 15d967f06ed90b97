package engine

import (
	"strings"
	"time"

	"careflow/engine/event"
	"careflow/flow"

	"github.com/nyaruka/phonenumbers"
)

// waitBegins starts a wait (flows.md §3.6) and reports whether the run now waits.
func waitBegins(run *Run, w *flow.Wait) bool {
	s := run.session
	switch w.Type {
	case flow.WaitMsg:
		var timeout *int
		if w.Timeout != nil {
			t := w.Timeout.Seconds
			timeout = &t
		}
		expires := s.now().Add(time.Duration(run.flow.ExpireAfter()) * time.Minute)
		s.Log(event.NewMsgWait(timeout, expires, w.Hint))
		return true
	case flow.WaitDial:
		phone, ok := run.EvaluateText(w.Phone)
		if !ok {
			return false
		}
		env := s.Env()
		num, err := phonenumbers.Parse(phone, env.DefaultCountry)
		if err != nil && !strings.HasPrefix(strings.TrimSpace(phone), "+") {
			num, err = phonenumbers.Parse("+"+strings.TrimSpace(phone), "")
		}
		if err != nil || !phonenumbers.IsPossibleNumber(num) {
			run.LogError("not a possible number", "", nil)
			return false
		}
		dial, call := w.DialLimitSeconds, w.CallLimitSeconds
		if dial == 0 {
			dial = 60
		}
		if call == 0 {
			call = 7200
		}
		urn := "tel:" + phonenumbers.Format(num, phonenumbers.E164)
		expires := s.now().Add(time.Duration(dial+call+30) * time.Second)
		s.Log(event.NewDialWait(urn, dial, call, expires))
		return true
	}
	return false
}
