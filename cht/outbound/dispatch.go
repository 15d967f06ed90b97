package outbound

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"careflow/store"
)

// lane is one destination's share of the dispatcher: a backlog of claimed pushes, workers
// sending them (at most PerDestination at once) and its own back-off, so a failing
// destination slows down alone. The lane backs off as a whole only when its host cannot be
// reached; an HTTP error backs off the one URL that answered it (paths), so a failing
// endpoint does not hold up healthy endpoints on the same host.
type lane struct {
	dest        string
	backlog     []store.Push
	workers     int
	failures    int
	pausedUntil time.Time
	paths       map[string]*pathBackoff
}

// pathBackoff is the back-off of one URL of a lane after HTTP errors.
type pathBackoff struct {
	failures    int
	pausedUntil time.Time
}

// failure says whose fault a failed attempt was, and so what backs off.
type failure int

const (
	failNone failure = iota // success, or a failure of the push itself (it backs off alone)
	failHost                // no answer: the host is unreachable, the whole lane waits
	failPath                // 5xx or 429: that URL waits
)

func (s *Service) lane(dest string) *lane {
	l := s.lanes[dest]
	if l == nil {
		l = &lane{dest: dest, paths: map[string]*pathBackoff{}}
		s.lanes[dest] = l
	}
	return l
}

// pushURL is where a push goes (empty when its config cannot say): the key of its path's
// back-off.
func (s *Service) pushURL(ctx context.Context, p store.Push) string {
	cc, err := s.configs(ctx)
	if err != nil {
		return ""
	}
	u, err := cc.url(p.Config)
	if err != nil {
		return ""
	}
	return u
}

func (s *Service) dispatchLoop(ctx context.Context) {
	// Requests in flight when ctx ends get a grace period to finish before they are cancelled.
	sendCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.mu.Lock()
	s.sendCtx = sendCtx
	s.mu.Unlock()
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
		again, wait, err := s.dispatchOnce(ctx)
		if err != nil && ctx.Err() == nil {
			s.Log.Error("outbound dispatch", "err", err)
		}
		if !again {
			s.wait(ctx, s.dispatchWake, wait)
		}
	}
	// Stop the workers picking up more and hand back what they had not started.
	s.mu.Lock()
	s.sendCtx = nil
	var unsent []store.Push
	for _, l := range s.lanes {
		unsent = append(unsent, l.backlog...)
		l.backlog = nil
	}
	s.mu.Unlock()
	for _, p := range unsent {
		s.acks <- s.putBack(p, time.UnixMilli(p.NextAt))
	}
	signal(s.ackWake)
}

// claimBatch is how many pushes a lane claims at once: enough that claiming is a small share of
// the database work, few enough that a lease (minutes) outlasts the backlog.
func (s *Service) claimBatch() int { return s.Opts.PerDestination * 16 }

// dispatchOnce tops up the backlog of every destination that is due and not backing off, and
// starts its workers. again is true when a lane filled a whole batch (more may be due); wait is
// how long until the earliest known next try.
func (s *Service) dispatchOnce(ctx context.Context) (again bool, wait time.Duration, err error) {
	// Cleared before looking, so whatever leaves pushes unclaimed after the look sets it again.
	s.mayBeDue.Store(false)
	now := s.Opts.Now()
	dests, err := s.Store.DueDestinations(ctx, now.UnixMilli())
	if err != nil {
		s.mayBeDue.Store(true)
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
		room := s.claimBatch() - len(l.backlog)
		paused := l.pausedUntil
		full := room < s.claimBatch()/2
		if full && d.NextAt <= now.UnixMilli() {
			// Set while the lane is locked, so the worker that takes the backlog low (or
			// empty) after this look sees it and kicks.
			s.mayBeDue.Store(true)
		}
		s.mu.Unlock()
		switch {
		case now.Before(paused):
			soonest(paused)
			continue
		case d.NextAt > now.UnixMilli():
			soonest(time.UnixMilli(d.NextAt))
			continue
		case full:
			continue // plenty queued; a worker kicks when the backlog runs low
		}
		claimed, err := s.Store.ClaimPushes(ctx, d.Destination, s.Opts.Node, now.UnixMilli(), now.Add(s.Opts.Lease).UnixMilli(), room)
		if err != nil {
			s.mayBeDue.Store(true)
			return false, 0, err
		}
		if len(claimed) == room {
			again = true
		}
		s.handOver(claimed)
	}
	return again, wait, nil
}

// handOver queues claimed pushes on their lanes and starts workers as needed. After the
// dispatcher has stopped (sendCtx unset) they go straight back to the queue.
func (s *Service) handOver(claimed []store.Push) {
	if len(claimed) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sendCtx == nil {
		for _, p := range claimed {
			s.unsaved = append(s.unsaved, s.putBack(p, time.UnixMilli(p.NextAt)))
		}
		return
	}
	for _, p := range claimed {
		l := s.lane(p.Destination)
		l.backlog = append(l.backlog, p)
		for l.workers < s.Opts.PerDestination && l.workers < len(l.backlog) {
			l.workers++
			s.inflight.Add(1)
			go s.work(s.sendCtx, l)
		}
	}
}

// work sends a lane's backlog until it is empty or the lane starts backing off; then the
// pushes it holds go back to the queue for their next try.
func (s *Service) work(ctx context.Context, l *lane) {
	defer s.inflight.Done()
	for {
		s.mu.Lock()
		now := s.Opts.Now()
		if len(l.backlog) == 0 || now.Before(l.pausedUntil) {
			back := l.backlog
			if len(back) > 0 {
				l.backlog = nil
			}
			paused := l.pausedUntil
			l.workers--
			s.mu.Unlock()
			for _, p := range back {
				s.acks <- s.putBack(p, paused)
			}
			if len(back) > 0 {
				signal(s.ackWake) // the committer kicks the dispatcher once they are recorded
			} else if s.mayBeDue.Load() {
				s.Kick()
			}
			return
		}
		p := l.backlog[0]
		l.backlog = l.backlog[1:]
		low := len(l.backlog) == s.claimBatch()/2
		s.mu.Unlock()
		if low && s.mayBeDue.Load() {
			s.Kick()
		}
		if s.Opts.Now().Add(s.Sender.timeout() + time.Second).After(time.UnixMilli(p.LeaseUntil)) {
			// Held too long to be sure of the lease: let it expire and be claimed afresh.
			continue
		}
		url := s.pushURL(ctx, p)
		s.mu.Lock()
		pb := l.paths[url]
		s.mu.Unlock()
		if pb != nil && s.Opts.Now().Before(pb.pausedUntil) {
			s.report(s.putBack(p, pb.pausedUntil))
			continue
		}
		out, fail := s.safeAttempt(ctx, p)
		s.report(out)
		s.mu.Lock()
		switch {
		case out.Sent:
			l.failures, l.pausedUntil = 0, time.Time{}
			delete(l.paths, url)
		case fail == failHost:
			l.failures++
			l.pausedUntil = s.Opts.Now().Add(s.backoff(l.failures))
		case fail == failPath && url != "":
			// The host answered, so it is reachable: only this URL waits.
			l.failures, l.pausedUntil = 0, time.Time{}
			if l.paths[url] == nil {
				l.paths[url] = &pathBackoff{}
			}
			b := l.paths[url]
			b.failures++
			b.pausedUntil = s.Opts.Now().Add(s.backoff(b.failures))
		}
		s.mu.Unlock()
	}
}

// report hands an outcome to the committer. Only the first of a round wakes it (it then
// gathers for ackDelay), or a crowd of them: waking it for each of the others only had it
// go back to waiting, a goroutine switch and a timer per push.
func (s *Service) report(o store.PushOutcome) {
	s.acks <- o
	if s.acksWaiting.CompareAndSwap(false, true) || len(s.acks) >= cap(s.acks)/4 {
		signal(s.ackWake)
	}
}

// putBack returns a claimed push unsent, due again at next (not counted as an attempt).
func (s *Service) putBack(p store.Push, next time.Time) store.PushOutcome {
	if next.Before(time.UnixMilli(p.NextAt)) {
		next = time.UnixMilli(p.NextAt)
	}
	return store.PushOutcome{ID: p.ID, Version: p.Version, Hash: p.Hash, Status: p.LastStatus, Error: p.LastError,
		NextAt: next.UnixMilli(), Now: s.Opts.Now().UnixMilli(), LeaseOwner: s.Opts.Node}
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

// attempt sends one claimed push and says what became of it, and whose failure it was: the
// host's (no answer), the URL's (5xx, 429) or, failNone, the payload's own.
func (s *Service) attempt(ctx context.Context, p store.Push) (out store.PushOutcome, fail failure) {
	now := s.Opts.Now()
	out = store.PushOutcome{ID: p.ID, Version: p.Version, Hash: p.Hash, Now: now.UnixMilli(), LeaseOwner: s.Opts.Node}
	cc, err := s.configs(ctx)
	if err != nil {
		out.Error, out.NextAt = "settings: "+err.Error(), now.Add(s.Opts.BackoffMin).UnixMilli()
		return out, failNone
	}
	c, ok := cc.byName[p.Config]
	if !ok {
		return s.failed(p, out, now, Permanent(errors.New("outbound config '"+p.Config+"' no longer exists")), 0), failNone
	}
	if expr := c.Cron(); expr != "" {
		cr, err := ParseCron(expr)
		if err != nil {
			return s.failed(p, out, now, err, 0), failNone
		}
		if !cr.Due(now) {
			next, ok := cr.NextDue(now)
			if !ok {
				next = now.Add(s.Opts.BackoffMax)
			}
			out.NextAt, out.Status, out.Error = next.UnixMilli(), p.LastStatus, p.LastError
			return out, failNone
		}
	}
	body, hash := p.Body, p.Hash
	if p.Eval == "" && p.Attempts > 0 {
		// A retry: as CHT's schedule does, give up on a document deleted meanwhile.
		docs, err := s.Store.GetDocs(ctx, []string{p.DocID})
		if err != nil {
			return s.failed(p, out, now, err, 0), failNone
		}
		if len(docs) == 0 {
			return s.failed(p, out, now, Permanent(errors.New("document "+p.DocID+" no longer exists")), 0), failNone
		}
	}
	if p.Eval != "" {
		b, h, send, err := s.reevaluate(ctx, p, c, now)
		if err != nil {
			return s.failed(p, out, now, err, 0), failNone
		}
		out.Hash, out.Body = h, b
		hash = h
		if !send {
			// Nothing to send: no longer relevant, or this payload was acknowledged before.
			out.Sent = true
			return out, failNone
		}
		body = b
	}
	start := time.Now()
	var status int
	target, err := cc.url(p.Config)
	if err == nil {
		status, err = s.Sender.sendTo(ctx, target, c.Destination(), body, IdempotencyKey(p.DocID, p.Config, hash))
	}
	s.Metrics.Request.Observe(time.Since(start).Seconds())
	out.Attempted, out.Status = true, status
	if err == nil {
		out.Sent = true
		s.Metrics.Sent.WithLabelValues(p.Config).Inc()
		s.Metrics.Latency.Observe(float64(s.Opts.Now().UnixMilli()-p.EnqueuedAt) / 1000)
		s.Log.Info("Pushed "+p.DocID+" to "+p.Config, "doc", p.DocID, "push", p.Config, "status", status)
		return out, failNone
	}
	switch {
	case status == 0 && errors.As(err, new(*url.Error)):
		// No answer at all (refused, reset, timed out): the host, not one of its URLs.
		fail = failHost
	case status >= 500 || status == 429:
		fail = failPath
	}
	return s.failed(p, out, now, err, status), fail
}

// safeAttempt is attempt with a panic turned into a failed attempt, so one bad push cannot
// take the process down.
func (s *Service) safeAttempt(ctx context.Context, p store.Push) (out store.PushOutcome, fail failure) {
	defer func() {
		if r := recover(); r != nil {
			s.Log.Error("outbound: panic while pushing", "doc", p.DocID, "push", p.Config, "panic", r)
			out = s.failed(p, store.PushOutcome{ID: p.ID, Version: p.Version, Hash: p.Hash, Now: s.Opts.Now().UnixMilli(),
				LeaseOwner: s.Opts.Node}, s.Opts.Now(), fmt.Errorf("internal error: %v", r), 0)
			fail = failNone
		}
	}()
	return s.attempt(ctx, p)
}

// reevaluate builds the payload of a push queued because it could not be built at write time,
// from the document as it is now (CHT likewise sends the current revision on retry). send is
// false when there is nothing to send: the config is no longer relevant (only re-checked when
// relevance was unknown), or the payload equals the one last acknowledged.
func (s *Service) reevaluate(ctx context.Context, p store.Push, c Config, now time.Time) (body []byte, hash string, send bool, err error) {
	docs, err := s.Store.GetDocs(ctx, []string{p.DocID})
	if err != nil {
		return nil, "", false, err
	}
	if len(docs) == 0 {
		return nil, "", false, Permanent(errors.New("document " + p.DocID + " no longer exists"))
	}
	doc, err := s.Hydrator.Hydrate(ctx, docs[0])
	if errors.Is(err, ErrBadDocument) {
		return nil, "", false, Permanent(err)
	}
	if err != nil {
		return nil, "", false, err
	}
	outs, err := Evaluate(s.Sandbox, doc, []Config{c}, EvalOptions{Now: now, AllPayloads: true})
	if err != nil {
		return nil, "", false, err
	}
	o := outs[0]
	if p.Eval == store.EvalRelevance {
		if o.RelevantErr != nil && errors.Is(o.RelevantErr, ErrInterrupted) {
			return nil, "", false, fmt.Errorf("relevant_to: %w", o.RelevantErr)
		}
		if o.RelevantErr != nil || !o.Relevant {
			return nil, p.SentHash, false, nil
		}
	}
	if o.Err != nil {
		return nil, "", false, o.Err
	}
	if o.Hash == p.SentHash {
		return o.Body, o.Hash, false, nil
	}
	return o.Body, o.Hash, true, nil
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
