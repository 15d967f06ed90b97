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

// evaluated is a batch of the outbox, evaluated and waiting to be committed.
type evaluated struct {
	seqs  []int64
	items []store.PushEnqueue
}

// writeLoop is the service's writer, in two stages so evaluation overlaps the database: an
// evaluator reads and evaluates the next batch of the outbox while the committer records the
// previous one together with the outcomes workers reported, one transaction per round. Once
// ctx ends the evaluator stops; the committer records outcomes until wctx ends too (after the
// workers have stopped) and then flushes what is left.
func (s *Service) writeLoop(ctx, wctx context.Context) {
	batches := make(chan evaluated, 1)
	go s.evalLoop(ctx, batches)
	var ackSince time.Time // when the committer first saw outcomes waiting
	for {
		var b *evaluated
		d := s.Opts.Poll
		if s.pendingOutcomes() {
			// Outcomes are not urgent: gather them for a few milliseconds so recording them
			// costs one transaction per many pushes, not one each.
			if ackSince.IsZero() {
				ackSince = time.Now()
			}
			d = time.Until(ackSince.Add(ackDelay))
		}
		t := time.NewTimer(max(d, 0))
		select {
		case e, ok := <-batches:
			if ok {
				b = &e
			} else {
				batches = nil // evaluator stopped
			}
		case <-s.ackWake:
		case <-t.C:
		case <-wctx.Done():
		}
		t.Stop()
		if b == nil && wctx.Err() == nil && len(s.acks) < cap(s.acks)/4 && (ackSince.IsZero() || time.Since(ackSince) < ackDelay) {
			continue // keep gathering
		}
		ackSince = time.Time{}
		if wctx.Err() != nil {
			if b != nil {
				s.commit(context.WithoutCancel(wctx), b)
			}
			for batches != nil { // a batch the evaluator finished as it stopped
				e, ok := <-batches
				if !ok {
					break
				}
				s.commit(context.WithoutCancel(wctx), &e)
			}
			for s.pendingOutcomes() {
				if err := s.commit(context.WithoutCancel(wctx), nil); err != nil {
					s.Log.Error("outbound: cannot record push outcomes; their leases will expire and they will be retried", "err", err)
					return
				}
			}
			return
		}
		if err := s.commit(wctx, b); err != nil {
			s.Log.Error("outbound: recording pushes", "err", err)
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

// evalLoop reads the outbox and evaluates it, one batch ahead of the committer. It reads past
// the batches it has handed on (which the committer deletes), and from the start again when it
// runs dry or every second: PostgreSQL may commit sequence numbers out of order, and an entry
// read twice is harmless (only the transaction that deletes it enqueues its pushes).
func (s *Service) evalLoop(ctx context.Context, out chan<- evaluated) {
	defer close(out)
	var cursor, handed int64
	lastReset := time.Now()
	// restart reads from the start of the outbox once every batch handed on is committed (so
	// the entries read are ones nobody is working on).
	restart := func() bool {
		for s.committed.Load() < handed {
			select {
			case <-s.batchDone:
			case <-ctx.Done():
				return false
			}
		}
		cursor, lastReset = 0, time.Now()
		return true
	}
	for ctx.Err() == nil {
		if cursor != 0 && time.Since(lastReset) > time.Second && !restart() {
			return
		}
		changes, err := s.Store.ReadDocChanges(ctx, cursor, s.Opts.Batch)
		if err == nil && len(changes) == 0 && cursor != 0 {
			if !restart() {
				return
			}
			continue
		}
		var e evaluated
		if err == nil && len(changes) > 0 {
			var cc *configCache
			if cc, err = s.configs(ctx); err == nil {
				e.seqs, e.items, err = s.intake(ctx, cc, changes)
			}
		}
		if err != nil {
			if ctx.Err() == nil {
				s.Log.Error("outbound intake", "err", err)
			}
			if !restart() {
				return
			}
			s.wait(ctx, s.intakeWake, s.Opts.Poll)
			continue
		}
		if len(changes) == 0 {
			s.wait(ctx, s.intakeWake, s.Opts.Poll)
			continue
		}
		select {
		case out <- e:
			cursor = changes[len(changes)-1].Seq
			handed++
		case <-ctx.Done():
			return
		}
	}
}

// commit records an evaluated batch (or none) and the waiting outcomes in one transaction and
// hands what it claimed to the lanes. Outcomes it could not record wait for the next round.
func (s *Service) commit(ctx context.Context, b *evaluated) error {
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
	// The next outcome starts a round of its own (report); one that came after the drain
	// but before this belongs to it already.
	s.acksWaiting.Store(len(s.acks) > 0)
	if b == nil && len(outcomes) == 0 {
		return nil
	}
	batch := store.PushBatch{Outcomes: outcomes, Owner: s.Opts.Node}
	if b != nil {
		batch.Seqs, batch.Items = b.seqs, b.items
	}
	now := s.Opts.Now()
	batch.Now, batch.LeaseUntil = now.UnixMilli(), now.Add(s.Opts.Lease).UnixMilli()
	res, err := s.Store.ApplyPushes(ctx, batch)
	if b != nil {
		s.committed.Add(1) // committed or failed: either way no longer in flight
		signal(s.batchDone)
	}
	if err != nil {
		// The outbox entries stay and are evaluated again; the outcomes are kept.
		s.keep(outcomes)
		return err
	}
	s.handOver(res.Claimed)
	if res.Pending > len(res.Claimed) || !allSent(outcomes) {
		// Pushes are due, or will be, that no lane holds: the dispatcher must look.
		s.mayBeDue.Store(true)
		s.Kick()
	}
	if s.Opts.OnOutcome != nil {
		for _, o := range outcomes {
			s.Opts.OnOutcome(o)
		}
	}
	if s.Opts.OnIntake != nil && b != nil {
		s.Opts.OnIntake(len(b.seqs))
	}
	return nil
}

func allSent(outcomes []store.PushOutcome) bool {
	for _, o := range outcomes {
		if !o.Sent {
			return false
		}
	}
	return true
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
	var failed atomic.Pointer[error]
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
				its, err := s.safeEvaluateDoc(ctx, d, latest[d.ID], cc.configs, now)
				if err != nil {
					failed.CompareAndSwap(nil, &err)
				}
				perDoc[i] = its
			}
		}()
	}
	wg.Wait()
	if e := failed.Load(); e != nil {
		return nil, nil, *e
	}
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

// safeEvaluateDoc is evaluateDoc with a panic logged and the document skipped.
func (s *Service) safeEvaluateDoc(ctx context.Context, d store.Doc, seq int64, configs []Config, now time.Time) (items []store.PushEnqueue, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.Log.Error("outbound: panic while evaluating a document; skipped", "doc", d.ID, "panic", r)
			items, err = nil, nil
		}
	}()
	return s.evaluateDoc(ctx, d, seq, configs, now)
}

// evaluateDoc turns one document into queue items. A config whose payload cannot be built
// fails alone: it is logged and queued as an evaluation to try again (as CHT queues it), with
// back-off, until it builds or is dead-lettered. Only a failure to read the database is
// returned, so the batch is not committed and is evaluated again.
func (s *Service) evaluateDoc(ctx context.Context, d store.Doc, seq int64, configs []Config, now time.Time) ([]store.PushEnqueue, error) {
	doc, err := s.Hydrator.Hydrate(ctx, d)
	if errors.Is(err, ErrBadDocument) {
		s.Log.Error("outbound: cannot read document", "doc", d.ID, "err", err)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	outs, err := Evaluate(s.Sandbox, doc, configs, EvalOptions{Now: now})
	if err != nil {
		s.Log.Error("outbound: cannot evaluate document", "doc", d.ID, "err", err)
		return nil, nil
	}
	var items []store.PushEnqueue
	for i, o := range outs {
		c := configs[i]
		it := store.PushEnqueue{Seq: seq, DocID: d.ID, Config: c.Name, Destination: c.DestinationKey(), DocRev: d.Rev, DocSeq: d.Seq}
		switch {
		case o.RelevantErr != nil && errors.Is(o.RelevantErr, ErrInterrupted):
			// Stopped by the sandbox (perhaps only because the machine was busy): relevance is
			// unknown, so evaluate again later rather than guess.
			s.Metrics.Failed.WithLabelValues(c.Name, "sandbox").Inc()
			s.Log.Error("Failed to evaluate relevant_to of "+c.Name+" for "+d.ID+": "+o.RelevantErr.Error(), "doc", d.ID, "push", c.Name)
			it.Eval, it.Error = store.EvalRelevance, "relevant_to: "+o.RelevantErr.Error()
		case o.RelevantErr != nil:
			// A throwing relevant_to counts as "not relevant" for this config only (CHT
			// abandons the whole transition run for the document).
			s.Metrics.Failed.WithLabelValues(c.Name, "relevant_to").Inc()
			s.Log.Error("Failed to evaluate relevant_to of "+c.Name+" for "+d.ID+": "+o.RelevantErr.Error(), "doc", d.ID, "push", c.Name)
			continue
		case !o.Relevant:
			continue
		case o.Err != nil:
			reason := "mapping"
			if errors.Is(o.Err, ErrInterrupted) {
				reason = "sandbox"
			}
			s.Metrics.Failed.WithLabelValues(c.Name, reason).Inc()
			s.Log.Error("Failed to push "+d.ID+" to "+c.Name+": "+o.Err.Error(), "doc", d.ID, "push", c.Name)
			it.Eval, it.Error = store.EvalMapping, o.Err.Error()
		default:
			it.Body, it.Hash = o.Body, o.Hash
		}
		next := now
		if it.Eval != "" {
			next = now.Add(s.backoff(1))
		}
		if expr := c.Cron(); expr != "" {
			cr, err := ParseCron(expr)
			if err != nil {
				s.Metrics.Failed.WithLabelValues(c.Name, "config").Inc()
				s.Log.Error("Outbound push failed: "+err.Error(), "doc", d.ID, "push", c.Name)
				continue
			}
			due, ok := cr.NextDue(next)
			if !ok {
				s.Log.Error("Outbound push failed: cron "+expr+" is never due", "doc", d.ID, "push", c.Name)
				continue
			}
			next = due
		}
		it.NextAt = next.UnixMilli()
		items = append(items, it)
	}
	return items, nil
}
