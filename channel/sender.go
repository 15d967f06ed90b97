package channel

import (
	"context"
	"strings"
	"sync"
	"time"

	"careflow/runtime"
	"careflow/store"
)

// The sending pipeline (runtime.md §8.7). Every node runs one sender per provider channel;
// senders of several nodes share a channel's outbox through leases (ClaimOutgoing) and its
// tps through a budget per epoch second kept in the store. A round claims what the budget may
// allow, sends it (one contact's messages in order, contacts in parallel), and commits every
// provider answer of the round in one transaction.
//
// Crash rule: a message whose provider answer was committed is no longer queued, so it is
// never claimed again. A message in flight when a node dies (claimed, maybe sent, answer not
// committed) is claimed again when its lease runs out and sent again — at least once, as
// courier does; the message UUID travels in the request wherever the provider takes a
// reference the receiver can de-duplicate on (External API {{uuid}}, Twilio StatusCallback,
// Vonage client-ref, WhatsApp biz_opaque_callback_data). While the node lives, an answer it
// could not commit is remembered and committed instead of sending again (the sent-msgs guard).

// DefaultLease is how long a claimed message is ours: longer than one send's budget.
const DefaultLease = time.Minute

// Retries of errored sends: the next attempt after 5 minutes times the error count, and the
// third error fails the message (runtime.md §8.7).
const (
	retryBackoff = 5 * time.Minute
	maxErrors    = 3
)

type senderHandle struct {
	cancel context.CancelFunc
	wake   chan struct{}
}

// startSenders starts a sender for every live channel of a sending type not yet running.
func (s *Service) startSenders(ctx context.Context) error {
	wss, err := s.RT.Store.ListWorkspaces(ctx)
	if err != nil {
		return err
	}
	for _, ws := range wss {
		w, err := s.RT.Workspace(ctx, ws.ID)
		if err != nil {
			return err
		}
		for _, ch := range w.Channels {
			if t := Lookup(ch.Type); t != nil && t.Send != nil {
				s.startSender(ctx, ch.UUID)
			}
		}
	}
	return nil
}

func (s *Service) startSender(ctx context.Context, uuid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running == nil {
		s.running = map[string]*senderHandle{}
	}
	if _, ok := s.running[uuid]; ok {
		return
	}
	cctx, cancel := context.WithCancel(ctx)
	h := &senderHandle{cancel: cancel, wake: make(chan struct{}, 1)}
	s.running[uuid] = h
	s.senders.Add(1)
	go func() {
		defer s.senders.Done()
		s.runSender(cctx, uuid, h)
	}()
}

func (s *Service) wakeSenders() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.running {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
}

func (s *Service) stopSenders() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.running {
		h.cancel()
	}
}

func (s *Service) runSender(ctx context.Context, uuid string, h *senderHandle) {
	defer func() {
		s.mu.Lock()
		delete(s.running, uuid)
		s.mu.Unlock()
		h.cancel()
	}()
	n := 1
	if ch, err := s.RT.Store.GetChannel(ctx, uuid); err == nil && TPS(ch) == 0 {
		n = max(s.Lanes, 1)
	}
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.runLane(ctx, uuid, h)
			h.cancel() // a lane that ends (channel gone) ends the others
		}()
	}
	wg.Wait()
}

func (s *Service) runLane(ctx context.Context, uuid string, h *senderHandle) {
	for ctx.Err() == nil {
		n, pause, gone, err := s.sendRound(ctx, uuid)
		if gone {
			return
		}
		if err != nil && ctx.Err() == nil {
			s.Log.Error("channel send", "channel", uuid, "error", err)
			pause = time.Second
		}
		if n > 0 && pause == 0 {
			continue
		}
		if pause == 0 {
			pause = time.Second // other nodes queue too; their messages are seen within a second
		}
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
		case <-h.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// sendRound sends one claim's worth of a channel's outbox; pause > 0 asks the caller to wait
// (budget spent, provider throttling).
func (s *Service) sendRound(ctx context.Context, uuid string) (n int, pause time.Duration, gone bool, err error) {
	ch, err := s.RT.Store.GetChannel(ctx, uuid)
	if err != nil {
		return 0, 0, false, err
	}
	t := Lookup(ch.Type)
	if ch.Deleted || t == nil || t.Send == nil {
		return 0, 0, true, nil
	}
	cfg, err := OpenConfig(s.Box, t, ch)
	if err != nil {
		return 0, 0, false, err
	}
	tps := TPS(ch)
	limit := s.Batch
	if tps > 0 {
		limit = min(limit, tps)
	}
	now := s.RT.Clock.Now()
	msgs, err := s.RT.Store.ClaimOutgoing(ctx, uuid, s.RT.Owner(), now, now.Add(s.LeaseFor), limit)
	if err != nil || len(msgs) == 0 {
		return 0, 0, false, err
	}
	if tps > 0 {
		wall := time.Now()
		granted, err := s.Store.TakeSendBudget(ctx, uuid, wall.Unix(), len(msgs), tps)
		if err != nil {
			granted = 0
			s.Log.Error("channel send budget", "channel", uuid, "error", err)
		}
		if granted < len(msgs) {
			if err := s.release(ctx, msgs[granted:]); err != nil {
				return 0, 0, false, err
			}
			msgs = msgs[:granted]
			pause = time.Until(wall.Truncate(time.Second).Add(time.Second))
		}
		if len(msgs) == 0 {
			return 0, pause, false, nil
		}
	}
	var pace time.Duration
	if tps > 0 {
		pace = time.Second / time.Duration(tps)
	}
	results := s.sendAll(ctx, t, ch, cfg, msgs, pace)
	if s.commit(ctx, ch, msgs, results) {
		pause = max(pause, time.Second)
	}
	return len(msgs), pause, false, nil
}

func (s *Service) release(ctx context.Context, msgs []*store.Msg) error {
	rel, ok := s.RT.Store.(store.OutboxReleaser)
	if !ok || len(msgs) == 0 {
		return nil // the leases run out by themselves
	}
	ids := make([]int64, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	return rel.ReleaseOutgoing(ctx, ids)
}

// sendAll sends msgs, one contact's messages one after another in claim order, contacts in
// parallel on up to Workers goroutines. A limited channel's sends are paced evenly over the
// second (pace apart), so the provider sees the rate, not bursts at each second's start.
func (s *Service) sendAll(ctx context.Context, t *Type, ch *store.Channel, cfg Config, msgs []*store.Msg, pace time.Duration) []Result {
	results := make([]Result, len(msgs))
	redact := redactor(t, cfg)
	var order []string
	byURN := map[string][]int{}
	for i, m := range msgs {
		if _, ok := byURN[m.URN]; !ok {
			order = append(order, m.URN)
		}
		byURN[m.URN] = append(byURN[m.URN], i)
	}
	work := make(chan []int)
	done := make(chan struct{})
	workers := min(max(s.Workers, 1), len(order))
	for range workers {
		go func() {
			for idx := range work {
				for _, i := range idx {
					results[i] = s.sendOne(ctx, t, ch, cfg, redact, msgs[i])
				}
			}
			done <- struct{}{}
		}()
	}
	next := time.Now()
	for _, urn := range order {
		if pace > 0 {
			if d := time.Until(next); d > 0 {
				time.Sleep(d)
			}
			next = next.Add(pace * time.Duration(len(byURN[urn])))
		}
		work <- byURN[urn]
	}
	close(work)
	for range workers {
		<-done
	}
	return results
}

func (s *Service) sendOne(ctx context.Context, t *Type, ch *store.Channel, cfg Config, redact *strings.Replacer, m *store.Msg) (res Result) {
	if r, ok := s.guard.get(m.ID); ok {
		return r
	}
	sc := &Send{Ctx: ctx, svc: s, Type: t, Channel: ch, Config: cfg, Msg: m, redact: redact}
	defer func() {
		if p := recover(); p != nil {
			s.Log.Error("channel send panicked", "channel", ch.UUID, "type", t.Code, "panic", p)
			res = Result{Status: store.MsgErrored, Reason: "internal error"}
		}
	}()
	sctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	sc.Ctx = sctx
	res = t.Send(sc)
	if ctx.Err() != nil && res.Status == store.MsgErrored {
		// Cut off by shutdown, not refused by the provider: back to the outbox untouched, to
		// be sent again like a message in flight at a crash.
		return Throttle()
	}
	return res
}

// commit records a round's answers; it reports whether the provider asked us to slow down.
func (s *Service) commit(ctx context.Context, ch *store.Channel, msgs []*store.Msg, results []Result) (throttled bool) {
	now := s.RT.Clock.Now()
	var updates []store.MsgStatusUpdate
	var release []*store.Msg
	var stops []*store.Msg
	for i, m := range msgs {
		r := results[i]
		u := store.MsgStatusUpdate{ID: m.ID, Status: r.Status, ExternalID: r.ExternalID, FailedReason: r.Reason, Now: now}
		switch {
		case r.Throttled:
			throttled = true
			release = append(release, m)
			continue
		case r.Status == store.MsgErrored && m.ErrorCount+1 >= maxErrors:
			u.Status, u.FailedReason = store.MsgFailed, "error limit"
		case r.Status == store.MsgErrored:
			next := now.Add(retryBackoff * time.Duration(m.ErrorCount+1))
			u.NextAttempt = &next
		case r.Status == "":
			u.Status = store.MsgWired
		}
		if r.StopContact {
			stops = append(stops, m)
		}
		updates = append(updates, u)
	}
	// The answers are the only record of what the providers took; keep trying while our
	// leases hold, and remember them past that so this node never sends them again.
	deadline := time.Now().Add(s.LeaseFor / 2)
	for attempt := 0; ; attempt++ {
		err := s.RT.Store.UpdateMsgStatuses(context.WithoutCancel(ctx), updates)
		if err == nil {
			s.guard.forget(updates)
			break
		}
		s.Log.Error("committing send results", "channel", ch.UUID, "error", err, "attempt", attempt)
		if time.Now().After(deadline) {
			s.guard.remember(updates, results, msgs)
			break
		}
		time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
	}
	if err := s.release(context.WithoutCancel(ctx), release); err != nil {
		s.Log.Warn("releasing throttled messages", "channel", ch.UUID, "error", err)
	}
	for _, m := range stops {
		in := &runtime.Inbound{WorkspaceID: ch.WorkspaceID, ChannelUUID: ch.UUID, URN: m.URN, Event: runtime.EventStopContact}
		if _, err := s.RT.Receive(context.WithoutCancel(ctx), in); err != nil {
			s.Log.Error("stopping contact after provider refusal", "channel", ch.UUID, "error", err)
		}
	}
	return throttled
}
