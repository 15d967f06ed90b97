package outbound

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"careflow/store"
)

// writeLoop is the service's one writer: each round consumes a batch of the outbox and records
// the outcomes workers reported, in one transaction. Once ctx ends it only records outcomes,
// until wctx ends too (after the workers have stopped), and then flushes what is left.
func (s *Service) writeLoop(ctx, wctx context.Context) {
	for {
		n, err := s.writeOnce(ctx, wctx)
		if err != nil && wctx.Err() == nil {
			s.Log.Error("outbound intake", "err", err)
		}
		if wctx.Err() != nil {
			for s.pendingOutcomes() {
				if _, err := s.writeOnce(ctx, context.WithoutCancel(wctx)); err != nil {
					s.Log.Error("outbound: cannot record push outcomes; their leases will expire and they will be retried", "err", err)
					return
				}
			}
			return
		}
		if n == 0 || err != nil {
			// Outcomes are not urgent: gather them for a few milliseconds so recording them
			// costs one transaction per many pushes, not one each.
			d := s.Opts.Poll
			if s.pendingOutcomes() {
				d = ackDelay
			}
			t := time.NewTimer(d)
			select {
			case <-wctx.Done():
			case <-s.intakeWake:
			case <-s.ackWake:
			case <-t.C:
			}
			t.Stop()
		}
	}
}

// ackDelay is how long outcomes may wait to be recorded together with others.
const ackDelay = 10 * time.Millisecond

func (s *Service) pendingOutcomes() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.acks) > 0 || len(s.unsaved) > 0
}

// writeOnce runs one round; it returns how much it did (outbox entries plus outcomes).
func (s *Service) writeOnce(ctx, wctx context.Context) (int, error) {
	s.mu.Lock()
	outcomes := s.unsaved
	s.unsaved = nil
	s.mu.Unlock()
drain:
	for len(outcomes) < 1024 {
		select {
		case o := <-s.acks:
			outcomes = append(outcomes, o)
		default:
			break drain
		}
	}
	var changes []store.DocChange
	if ctx.Err() == nil {
		var err error
		if changes, err = s.Store.ReadDocChanges(wctx, 0, s.Opts.Batch); err != nil {
			s.keep(outcomes)
			return 0, err
		}
	}
	if len(changes) == 0 && len(outcomes) == 0 {
		return 0, nil
	}
	batch := store.PushBatch{Outcomes: outcomes, Owner: s.Opts.Node}
	if len(changes) > 0 {
		cc, err := s.configs(wctx)
		if err != nil {
			s.keep(outcomes)
			return 0, err
		}
		batch.Seqs, batch.Items, err = s.intake(wctx, cc, changes)
		if err != nil {
			s.keep(outcomes)
			return 0, err
		}
	}
	now := s.Opts.Now()
	batch.Now, batch.LeaseUntil = now.UnixMilli(), now.Add(s.Opts.Lease).UnixMilli()
	res, err := s.Store.ApplyPushes(wctx, batch)
	if err != nil {
		s.keep(outcomes)
		return 0, err
	}
	s.handOver(res.Claimed)
	if res.Pending > len(res.Claimed) {
		s.Kick()
	}
	if s.Opts.OnOutcome != nil {
		for _, o := range outcomes {
			s.Opts.OnOutcome(o)
		}
	}
	if s.Opts.OnIntake != nil && len(changes) > 0 {
		s.Opts.OnIntake(len(changes))
	}
	return len(changes) + len(outcomes), nil
}

// keep holds outcomes a round could not record for the next round.
func (s *Service) keep(outcomes []store.PushOutcome) {
	s.mu.Lock()
	s.unsaved = append(outcomes, s.unsaved...)
	s.mu.Unlock()
}

// intake evaluates a batch of outbox entries into queue items; an item is marked to be claimed
// at once when its lane has room and is not backing off.
func (s *Service) intake(ctx context.Context, cc *configCache, changes []store.DocChange) ([]int64, []store.PushEnqueue, error) {
	seqs := make([]int64, len(changes))
	latest := map[string]int64{} // doc id → its newest outbox seq in the batch
	var ids []string
	for i, c := range changes {
		seqs[i] = c.Seq
		if _, seen := latest[c.DocID]; !seen {
			ids = append(ids, c.DocID)
		}
		latest[c.DocID] = c.Seq
	}
	if !cc.enabled {
		return seqs, nil, nil
	}
	docs, err := s.Store.GetDocs(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	now := s.Opts.Now()
	// Documents are independent: evaluate them on every core, keeping their order.
	perDoc := make([][]store.PushEnqueue, len(docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(docs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(docs); i = int(next.Add(1) - 1) {
				d := docs[i]
				if strings.HasPrefix(d.ID, "_design/") || strings.HasSuffix(d.ID, "-info") {
					continue
				}
				perDoc[i] = s.evaluateDoc(ctx, d, latest[d.ID], cc.configs, now)
			}
		}()
	}
	wg.Wait()
	var items []store.PushEnqueue
	for _, its := range perDoc {
		items = append(items, its...)
	}
	s.mu.Lock()
	room := map[string]int{}
	for i := range items {
		it := &items[i]
		if it.NextAt > now.UnixMilli() {
			continue
		}
		l := s.lane(it.Destination)
		if _, ok := room[it.Destination]; !ok {
			room[it.Destination] = s.claimBatch() - len(l.backlog)
			if now.Before(l.pausedUntil) {
				room[it.Destination] = 0
			}
		}
		if room[it.Destination] > 0 {
			it.Claim = true
			room[it.Destination]--
		}
	}
	s.mu.Unlock()
	return seqs, items, nil
}

// evaluateDoc turns one document into queue items, logging (and counting) every config whose
// payload cannot be built: that push fails alone.
func (s *Service) evaluateDoc(ctx context.Context, d store.Doc, seq int64, configs []Config, now time.Time) []store.PushEnqueue {
	body, err := s.Hydrator.Hydrate(ctx, d)
	if err != nil {
		s.Log.Error("outbound: cannot hydrate document", "doc", d.ID, "err", err)
		return nil
	}
	outs, err := Evaluate(s.Sandbox, body, configs, EvalOptions{Now: now})
	if err != nil {
		s.Log.Error("outbound: cannot evaluate document", "doc", d.ID, "err", err)
		return nil
	}
	var items []store.PushEnqueue
	for i, o := range outs {
		c := configs[i]
		if o.RelevantErr != nil {
			s.Metrics.Failed.WithLabelValues(c.Name, "relevant_to").Inc()
			s.Log.Error("Failed to evaluate relevant_to of "+c.Name+" for "+d.ID, "doc", d.ID, "push", c.Name, "err", o.RelevantErr)
			continue
		}
		if !o.Relevant {
			continue
		}
		if o.Err != nil {
			reason := "mapping"
			if errors.Is(o.Err, ErrInterrupted) {
				reason = "sandbox"
			}
			s.Metrics.Failed.WithLabelValues(c.Name, reason).Inc()
			s.Log.Error("Failed to push "+d.ID+" to "+c.Name+": "+o.Err.Error(), "doc", d.ID, "push", c.Name)
			continue
		}
		next := now
		if expr := c.Cron(); expr != "" {
			cr, err := ParseCron(expr)
			if err != nil {
				s.Metrics.Failed.WithLabelValues(c.Name, "config").Inc()
				s.Log.Error("Outbound push failed: "+err.Error(), "doc", d.ID, "push", c.Name)
				continue
			}
			var ok bool
			if next, ok = cr.NextDue(now); !ok {
				s.Log.Error("Outbound push failed: cron "+expr+" is never due", "doc", d.ID, "push", c.Name)
				continue
			}
		}
		items = append(items, store.PushEnqueue{Seq: seq, DocID: d.ID, Config: c.Name, Destination: c.DestinationKey(),
			DocRev: d.Rev, DocSeq: d.Seq, Body: o.Body, Hash: o.Hash, NextAt: next.UnixMilli()})
	}
	return items
}
