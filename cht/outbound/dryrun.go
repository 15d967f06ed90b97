package outbound

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"careflow/store"
)

// DryRun asks what a config would do, without sending anything.
type DryRun struct {
	// Config names a saved config; Proposed is a config given whole instead (named Name).
	Config   string          `json:"config,omitempty"`
	Proposed json.RawMessage `json:"proposed,omitempty"`
	Name     string          `json:"name,omitempty"`
	// Documents: DocIDs, or one inline Doc, or else the stored documents of Type/Form.
	DocIDs []string        `json:"doc_ids,omitempty"`
	Doc    json.RawMessage `json:"doc,omitempty"`
	Type   string          `json:"type,omitempty"`
	Form   string          `json:"form,omitempty"`
	Limit  int             `json:"limit,omitempty"` // default 50
	// Matching only lists relevant documents.
	Matching bool `json:"matching,omitempty"`
}

// DryRunResult is one document's outcome.
type DryRunResult struct {
	DocID         string          `json:"doc_id"`
	Relevant      bool            `json:"relevant"`
	RelevantError string          `json:"relevant_error,omitempty"`
	Due           bool            `json:"due"`
	URL           string          `json:"url,omitempty"`
	Payload       json.RawMessage `json:"payload,omitempty"`
	Body          string          `json:"body,omitempty"`
	Hash          string          `json:"hash,omitempty"`
	Error         string          `json:"error,omitempty"`
	SendError     string          `json:"send_error,omitempty"`
	// AlreadySent: this exact payload was acknowledged before, so it would not be sent again.
	AlreadySent bool `json:"already_sent"`
}

// ErrUnknownConfig is a dry run naming a config that is not saved.
var ErrUnknownConfig = errors.New("no such outbound config")

// InputError is a dry run asked the wrong way (the caller's mistake).
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// DryRun evaluates a config against documents exactly as a write would, and reports matches
// and the payload each would send.
func (s *Service) DryRun(ctx context.Context, req DryRun) ([]DryRunResult, error) {
	var cfg Config
	switch {
	case len(req.Proposed) > 0:
		v, err := ParseJSON(req.Proposed)
		if err != nil {
			return nil, &InputError{Msg: "proposed config: " + err.Error()}
		}
		cfg = Config{Name: req.Name, Raw: v}
		if cfg.Name == "" {
			cfg.Name = "proposed"
		}
	case req.Config != "":
		cc, err := s.configs(ctx)
		if err != nil {
			return nil, err
		}
		c, ok := cc.byName[req.Config]
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnknownConfig, req.Config)
		}
		cfg = c
	default:
		return nil, &InputError{Msg: "give config (a saved config's name) or proposed (a config)"}
	}
	docs, err := s.dryRunDocs(ctx, req)
	if err != nil {
		return nil, err
	}
	url, urlErr := URLJoin(member(cfg.Destination(), "base_url"), member(cfg.Destination(), "path"))
	now := s.Opts.Now()
	out := []DryRunResult{}
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err // the caller's time is up: stop between documents
		}
		body, err := s.Hydrator.Hydrate(ctx, d)
		if err != nil {
			return nil, err
		}
		outs, err := Evaluate(s.Sandbox, body, []Config{cfg}, EvalOptions{Now: now, AllPayloads: !req.Matching})
		if err != nil {
			return nil, err
		}
		o := outs[0]
		if req.Matching && !o.Relevant {
			continue
		}
		r := DryRunResult{DocID: d.ID, Relevant: o.Relevant, Due: o.Due, URL: url}
		if urlErr != nil {
			r.SendError = urlErr.Error()
		}
		if o.RelevantErr != nil {
			r.RelevantError = o.RelevantErr.Error()
		}
		if o.Err != nil {
			r.Error = o.Err.Error()
		} else if o.Payload != nil {
			r.Payload, r.Body, r.Hash = o.Body, string(o.Body), o.Hash
			if d.Rev != "" {
				if ps, err := s.Store.ListPushes(ctx, store.PushQuery{DocID: d.ID, Config: cfg.Name, Limit: 1}); err == nil && len(ps) == 1 {
					r.AlreadySent = ps[0].SentHash == o.Hash
				}
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// DocFinder finds stored documents for dry runs.
type DocFinder interface {
	FindDocs(ctx context.Context, q store.DocQuery) ([]store.Doc, error)
}

func (s *Service) dryRunDocs(ctx context.Context, req DryRun) ([]store.Doc, error) {
	if len(req.Doc) > 0 {
		w, err := store.SplitDoc(req.Doc)
		if err != nil {
			return nil, &InputError{Msg: "doc: " + err.Error()}
		}
		return []store.Doc{{ID: w.ID, Rev: w.Rev, Fields: w.Fields}}, nil
	}
	if len(req.DocIDs) > 0 {
		return s.Store.GetDocs(ctx, req.DocIDs)
	}
	f, ok := s.Store.(DocFinder)
	if !ok {
		return nil, &InputError{Msg: "give doc_ids or doc"}
	}
	limit := req.Limit
	if limit <= 0 {
		limit = 50
	}
	return f.FindDocs(ctx, store.DocQuery{Type: req.Type, Form: req.Form, Limit: limit})
}
