package runtime

import (
	"context"
	"time"
)

// fireBatch is how many due fires one round turns into tasks (mailroom fetches 5,000).
const fireBatch = 5000

// timerPoller turns due fires (wait timeouts, expirations, session expirations, campaign
// events) into contact tasks. The store deletes each fire in the transaction that queues its
// task, so a fire fires once even with several nodes polling.
func (r *Runtime) timerPoller(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := r.Store.FireDue(ctx, r.Clock.Now(), fireBatch)
		if err != nil && ctx.Err() == nil {
			r.Log.Error("firing timers", "error", err)
		}
		if n > 0 {
			r.Wake()
			if n == fireBatch {
				continue
			}
		}
		if !sleep(ctx, r.timerPollEvery(), nil) {
			return
		}
	}
}

func (r *Runtime) timerPollEvery() time.Duration {
	if r.Config.TimerEvery > 0 {
		return r.Config.TimerEvery
	}
	return time.Second
}

// FireTimers fires due timers now (tests moving a clock call it instead of waiting).
func (r *Runtime) FireTimers(ctx context.Context) (int, error) {
	n, err := r.Store.FireDue(ctx, r.Clock.Now(), fireBatch)
	if n > 0 {
		r.Wake()
	}
	return n, err
}
