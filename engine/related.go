package engine

import (
	"encoding/json"

	"careflow/expr"
	"careflow/flow"
)

// relatedRun is a run summary given by a flow_action trigger, seen as @parent.
type relatedRun struct {
	uuid    string
	flow    *flow.FlowRef
	contact *Contact
	status  string
	results map[string]*Result
}

func readRunSummary(raw json.RawMessage, assets *Assets) *relatedRun {
	var in struct {
		UUID    string             `json:"uuid"`
		Flow    *flow.FlowRef      `json:"flow"`
		Contact json.RawMessage    `json:"contact"`
		Status  string             `json:"status"`
		Results map[string]*Result `json:"results"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil
	}
	r := &relatedRun{uuid: in.UUID, flow: in.Flow, status: in.Status, results: in.Results}
	if r.flow == nil {
		r.flow = &flow.FlowRef{}
	}
	if len(in.Contact) > 0 {
		r.contact, _ = ReadContact(in.Contact, assets)
	}
	for k, res := range r.results {
		if res.Name == "" {
			// older summaries use result_name
			var old struct {
				ResultName string `json:"result_name"`
			}
			b, _ := json.Marshal(res)
			_ = json.Unmarshal(b, &old)
			res.Name = k
		}
	}
	return r
}

func (p *relatedRun) value(s *Session, env *expr.Environment) expr.Value {
	c := p.contact
	if c == nil {
		c = s.contact
	}
	o := expr.NewObject().SetDefault(text(s.contactDisplay(env, c) + "@" + p.flow.Name))
	o.Set("uuid", text(p.uuid))
	o.Set("contact", expr.NewLazy(func() expr.Value { return s.contactValue(env, c) }))
	o.Set("flow", expr.NewObject().SetDefault(text(p.flow.Name)).Set("uuid", text(string(p.flow.UUID))).
		Set("name", text(p.flow.Name)).Set("revision", expr.NumberFromInt(int64(p.flow.Revision))))
	o.Set("fields", expr.NewLazy(func() expr.Value { return s.fieldsValue(env, c) }))
	o.Set("urns", expr.NewLazy(func() expr.Value { return s.urnsValue(c) }))
	o.Set("results", expr.NewLazy(func() expr.Value { return resultsObject(env, p.results) }))
	o.Set("status", text(p.status))
	o.SetDeprecated("run", expr.NewObject().Set("status", text(p.status)), "@parent.run.status is deprecated, use @parent.status instead")
	return o
}

// RunSummary is the JSON snapshot of a run used by start_session (flows.md §3.4).
func (r *Run) RunSummary() json.RawMessage {
	out := struct {
		UUID    string             `json:"uuid"`
		Flow    *flow.FlowRef      `json:"flow"`
		Contact *Contact           `json:"contact"`
		Status  string             `json:"status"`
		Results map[string]*Result `json:"results"`
	}{r.UUID, r.FlowRef, r.session.contact, r.Status, r.Results}
	if out.Results == nil {
		out.Results = map[string]*Result{}
	}
	b, _ := json.Marshal(out)
	return b
}
