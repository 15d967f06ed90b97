package outbound

import (
	"context"
	"errors"
	"strings"
	"time"

	"careflow/store"
)

func (s *Service) intakeLoop(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := s.intakeOnce(ctx)
		if err != nil && ctx.Err() == nil {
			s.Log.Error("outbound intake", "err", err)
		}
		if n == 0 || err != nil {
			s.wait(ctx, s.intakeWake, s.Opts.Poll)
		}
	}
}

// intakeOnce evaluates one batch of the outbox and enqueues its pushes; it returns how many
// outbox entries it consumed.
func (s *Service) intakeOnce(ctx context.Context) (int, error) {
	changes, err := s.Store.ReadDocChanges(ctx, 0, s.Opts.Batch)
	if err != nil || len(changes) == 0 {
		return 0, err
	}
	cc, err := s.configs(ctx)
	if err != nil {
		return 0, err
	}
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
	var items []store.PushEnqueue
	if cc.enabled {
		docs, err := s.Store.GetDocs(ctx, ids)
		if err != nil {
			return 0, err
		}
		now := s.Opts.Now()
		for _, d := range docs {
			if strings.HasPrefix(d.ID, "_design/") || strings.HasSuffix(d.ID, "-info") {
				continue
			}
			items = append(items, s.evaluateDoc(ctx, d, latest[d.ID], cc.configs, now)...)
		}
	}
	n, err := s.Store.EnqueuePushes(ctx, seqs, items, s.Opts.Now().UnixMilli())
	if err != nil {
		return 0, err
	}
	if n > 0 {
		s.Kick()
	}
	if s.Opts.OnIntake != nil {
		s.Opts.OnIntake(len(changes))
	}
	return len(changes), nil
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
