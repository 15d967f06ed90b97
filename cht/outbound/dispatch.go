package outbound

import (
	"context"
	"errors"
	"time"

	"careflow/store"
)

// lane is one destination's share of the dispatcher: its requests in flight and its own
// back-off, so a failing destination slows down alone.
type lane struct {
	inflight    int
	failures    int
	pausedUntil time.Time
}

func (s *Service) lane(dest string) *lane {
	l := s.lanes[dest]
	if l == nil {
		l = &lane{}
		s.lanes[dest] = l
	}
	return l
}

func (s *Service) dispatchLoop(ctx context.Context) {
	// Requests in flight when ctx ends get a grace period to finish before they are cancelled.
	sendCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer func() {
		go func() {
			t := time.NewTimer(5 * time.Second)
			defer t.Stop()
			done := make(chan struct{})
			go func() { s.inflight.Wait(); close(done) }()
			select {
			case <-done:
			case <-t.C:
			}
			cancel()
		}()
	}()
	for ctx.Err() == nil {
		again, wait, err := s.dispatchOnce(ctx, sendCtx)
		if err != nil && ctx.Err() == nil {
			s.Log.Error("outbound dispatch", "err", err)
		}
		if !again {
			s.wait(ctx, s.dispatchWake, wait)
		}
	}
}

// dispatchOnce claims what every destination with free capacity has due and starts sending.
// again is true when a lane filled its capacity and more may be due; wait is how long until
// the earliest known next try.
func (s *Service) dispatchOnce(ctx, sendCtx context.Context) (again bool, wait time.Duration, err error) {
	now := s.Opts.Now()
	dests, err := s.Store.DueDestinations(ctx, now.UnixMilli())
	if err != nil {
		return false, 0, err
	}
	wait = s.Opts.Poll
	soonest := func(t time.Time) {
		if d := t.Sub(now); d < wait {
			wait = d
		}
	}
	for _, d := range dests {
		s.mu.Lock()
		l := s.lane(d.Destination)
		free := s.Opts.PerDestination - l.inflight
		paused := l.pausedUntil
		s.mu.Unlock()
		switch {
		case now.Before(paused):
			soonest(paused)
			continue
		case d.NextAt > now.UnixMilli():
			soonest(time.UnixMilli(d.NextAt))
			continue
		case free <= 0:
			continue // a finishing request kicks the dispatcher
		}
		claimed, err := s.Store.ClaimPushes(ctx, d.Destination, s.Opts.Node, now.UnixMilli(), now.Add(s.Opts.Lease).UnixMilli(), free)
		if err != nil {
			return false, 0, err
		}
		if len(claimed) == free {
			again = true
		}
		s.mu.Lock()
		l.inflight += len(claimed)
		s.mu.Unlock()
		for _, p := range claimed {
			s.inflight.Add(1)
			go s.deliver(sendCtx, d.Destination, l, p)
		}
	}
	return again, wait, nil
}

func (s *Service) deliver(ctx context.Context, dest string, l *lane, p store.Push) {
	defer s.inflight.Done()
	out, laneFailure := s.attempt(ctx, p)
	s.acks <- out
	s.mu.Lock()
	l.inflight--
	switch {
	case out.Sent:
		l.failures, l.pausedUntil = 0, time.Time{}
	case laneFailure:
		l.failures++
		l.pausedUntil = s.Opts.Now().Add(s.backoff(l.failures))
	}
	s.mu.Unlock()
	s.Kick()
}

// backoff is the delay before try n+1: BackoffMin doubled per failure, at most BackoffMax,
// plus up to 20% jitter (still at most BackoffMax) so retries of many pushes spread out.
func (s *Service) backoff(n int) time.Duration {
	d := s.Opts.BackoffMin
	for i := 1; i < n && d < s.Opts.BackoffMax; i++ {
		d *= 2
	}
	d += time.Duration(float64(d) * 0.2 * s.Opts.Jitter())
	if d > s.Opts.BackoffMax {
		d = s.Opts.BackoffMax
	}
	return d
}

// attempt sends one claimed push and says what became of it; laneFailure reports a failure
// that is the destination's (no answer, 5xx, 429) rather than the payload's.
func (s *Service) attempt(ctx context.Context, p store.Push) (out store.PushOutcome, laneFailure bool) {
	now := s.Opts.Now()
	out = store.PushOutcome{ID: p.ID, Version: p.Version, Hash: p.Hash, Now: now.UnixMilli(), LeaseOwner: s.Opts.Node}
	cc, err := s.configs(ctx)
	if err != nil {
		out.Error, out.NextAt = "settings: "+err.Error(), now.Add(s.Opts.BackoffMin).UnixMilli()
		return out, false
	}
	c, ok := cc.byName[p.Config]
	if !ok {
		return s.failed(p, out, now, Permanent(errors.New("outbound config '"+p.Config+"' no longer exists")), 0), false
	}
	if expr := c.Cron(); expr != "" {
		cr, err := ParseCron(expr)
		if err != nil {
			return s.failed(p, out, now, err, 0), false
		}
		if !cr.Due(now) {
			next, ok := cr.NextDue(now)
			if !ok {
				next = now.Add(s.Opts.BackoffMax)
			}
			out.NextAt, out.Status, out.Error = next.UnixMilli(), p.LastStatus, p.LastError
			return out, false
		}
	}
	start := time.Now()
	status, err := s.Sender.Send(ctx, c.Destination(), p.Body)
	s.Metrics.Request.Observe(time.Since(start).Seconds())
	out.Attempted, out.Status = true, status
	if err == nil {
		out.Sent = true
		s.Metrics.Sent.WithLabelValues(p.Config).Inc()
		s.Metrics.Latency.Observe(float64(s.Opts.Now().UnixMilli()-p.EnqueuedAt) / 1000)
		s.Log.Info("Pushed "+p.DocID+" to "+p.Config, "doc", p.DocID, "push", p.Config, "status", status)
		return out, false
	}
	laneFailure = status == 0 || status >= 500 || status == 429
	return s.failed(p, out, now, err, status), laneFailure
}

func (s *Service) failed(p store.Push, out store.PushOutcome, now time.Time, err error, status int) store.PushOutcome {
	out.Attempted = true
	out.Error = err.Error()
	if len(out.Error) > 2000 {
		out.Error = out.Error[:2000]
	}
	reason := "network"
	switch {
	case status > 0:
		reason = "http"
	case errors.As(err, new(*PermanentError)):
		reason = "config"
	}
	s.Metrics.Failed.WithLabelValues(p.Config, reason).Inc()
	delay := s.backoff(p.Attempts + 1)
	var ra *RetryAfterError
	if errors.As(err, &ra) && ra.After > delay {
		delay = ra.After
	}
	next := now.Add(delay)
	out.NextAt = next.UnixMilli()
	if errors.As(err, new(*PermanentError)) || next.Sub(time.UnixMilli(p.EnqueuedAt)) > s.Opts.MaxAge {
		out.Dead = true
		s.Metrics.DeadLettered.WithLabelValues(p.Config).Inc()
		s.Log.Error("Failed to push "+p.DocID+" to "+p.Config+": "+out.Error+" (dead-lettered)", "doc", p.DocID, "push", p.Config, "attempts", p.Attempts+1)
		return out
	}
	s.Metrics.Retried.WithLabelValues(p.Config).Inc()
	s.Log.Warn("Unable to push "+p.DocID+" for "+p.Config+": "+out.Error, "doc", p.DocID, "push", p.Config, "attempts", p.Attempts+1, "next_try", next)
	return out
}

// ackLoop records outcomes in batches until the channel closes.
func (s *Service) ackLoop() {
	for o := range s.acks {
		batch := []store.PushOutcome{o}
	drain:
		for len(batch) < 256 {
			select {
			case x, ok := <-s.acks:
				if !ok {
					break drain
				}
				batch = append(batch, x)
			default:
				break drain
			}
		}
		for try := 0; ; try++ {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := s.Store.CompletePushes(ctx, batch)
			cancel()
			if err == nil {
				break
			}
			if try == 5 {
				// The leases will expire and the pushes be tried again: at least once, never lost.
				s.Log.Error("outbound: cannot record push outcomes; they will be retried", "err", err, "count", len(batch))
				break
			}
			s.Log.Warn("outbound: recording push outcomes", "err", err)
			<-time.After(time.Duration(100*(try+1)) * time.Millisecond)
		}
		if s.Opts.OnOutcome != nil {
			for _, o := range batch {
				s.Opts.OnOutcome(o)
			}
		}
	}
}
