package outbound

import (
	"time"
)

// Outcome is what one config makes of one document.
type Outcome struct {
	Config string
	// Relevant is relevant_to's truthiness; RelevantErr is set when it threw (then Relevant is
	// false: careflow treats a throwing relevant_to as "not relevant" for that config only,
	// where CHT abandons the whole transition run for the document).
	Relevant    bool
	RelevantErr error
	// Payload, Body and Hash are set when the mapping built; Err when it failed.
	Payload *Object
	Body    []byte
	Hash    string
	Err     error
	// Due is false when the config has a cron that is not due at the evaluation time (or is
	// invalid; CronErr then says why).
	Due     bool
	CronErr error
}

// EvalOptions selects what Evaluate computes.
type EvalOptions struct {
	// Now is the time cron windows are judged at.
	Now time.Time
	// AllPayloads builds payloads for configs that are not relevant too (conformance and
	// dry runs); otherwise only relevant configs get one.
	AllPayloads bool
}

// Evaluate runs every config against the hydrated document doc, in config order, sharing one
// JavaScript session (and so one doc object, as CHT does).
func Evaluate(sb *Sandbox, doc Value, configs []Config, opt EvalOptions) ([]Outcome, error) {
	sess := sb.SessionValue(doc)
	defer sess.Close()
	out := make([]Outcome, len(configs))
	for i, c := range configs {
		o := &out[i]
		o.Config = c.Name
		if rt := c.RelevantTo(); rt != "" {
			o.Relevant, o.RelevantErr = sess.Truthy(rt)
		}
		o.Due = true
		if cr := c.Cron(); cr != "" {
			cron, err := ParseCron(cr)
			if err != nil {
				o.Due, o.CronErr = false, err
			} else {
				o.Due = cron.Due(opt.Now)
			}
		}
		if !o.Relevant && !opt.AllPayloads {
			continue
		}
		p, err := BuildPayload(sess, c, doc)
		if err != nil {
			o.Err = err
			continue
		}
		o.Payload, o.Body, o.Hash = p, Stringify(p), Hash(p)
	}
	return out, nil
}
