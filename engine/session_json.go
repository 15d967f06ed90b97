package engine

import (
	"encoding/json"
	"fmt"
	"sort"

	"careflow/engine/event"
	"careflow/flow"
)

// MarshalJSON writes the session (flows.md §9.3) without reflection: storing the session after
// every sprint is on the runtime's hot path.
func (s *Session) MarshalJSON() ([]byte, error) {
	o := newJSONObj(make([]byte, 0, 1536))
	o.str("uuid", s.UUID)
	o.str("type", string(s.Type))
	o.time("created_on", s.CreatedOn)
	o.str("status", s.Status)
	if s.Trigger != nil {
		o.key("trigger")
		b, err := appendTrigger(o.b, s.Trigger)
		if err != nil {
			return nil, err
		}
		o.b = b
	} else {
		o.raw("trigger", []byte("null"))
	}
	o.str("contact_uuid", s.ContactUUID)
	o.strOmit("call_uuid", s.CallUUID)
	if s.Input != nil {
		o.key("input")
		o.b = appendInput(o.b, s.Input)
	}
	o.key("runs")
	o.b = append(o.b, '[')
	for i, r := range s.Runs {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		b, err := appendRun(o.b, r)
		if err != nil {
			return nil, err
		}
		o.b = b
	}
	o.b = append(o.b, ']')
	o.int("sprints", int64(s.Sprints))
	return o.end(), nil
}

func appendFlowRef(b []byte, f *flow.FlowRef) []byte {
	if f == nil {
		return append(b, "null"...)
	}
	o := newJSONObj(b)
	o.str("uuid", string(f.UUID))
	o.str("name", f.Name)
	if f.Revision != 0 {
		o.int("revision", int64(f.Revision))
	}
	return o.end()
}

func appendTrigger(b []byte, t *Trigger) ([]byte, error) {
	o := newJSONObj(b)
	o.str("type", t.Type)
	if len(t.Event) > 0 {
		o.raw("event", t.Event)
	}
	o.key("flow")
	o.b = appendFlowRef(o.b, t.Flow)
	if t.Batch {
		o.raw("batch", []byte("true"))
	}
	if len(t.Params) > 0 {
		o.raw("params", t.Params)
	}
	if t.History != nil {
		if err := o.value("history", t.History); err != nil {
			return nil, err
		}
	}
	o.time("triggered_on", t.TriggeredOn)
	if t.User != nil {
		if err := o.value("user", t.User); err != nil {
			return nil, err
		}
	}
	o.strOmit("origin", t.Origin)
	if t.KeywordMatch != nil {
		if err := o.value("keyword_match", t.KeywordMatch); err != nil {
			return nil, err
		}
	}
	if len(t.RunSummary) > 0 {
		o.raw("run_summary", t.RunSummary)
	}
	if t.Ticket != nil {
		if err := o.value("ticket", t.Ticket); err != nil {
			return nil, err
		}
	}
	return o.end(), nil
}

func appendInput(b []byte, in *Input) []byte {
	o := newJSONObj(b)
	o.str("type", in.Type)
	o.str("uuid", in.UUID)
	o.time("created_on", in.CreatedOn)
	if in.Channel != nil {
		o.key("channel")
		c := newJSONObj(o.b)
		c.str("uuid", in.Channel.UUID)
		c.str("name", in.Channel.Name)
		o.b = c.end()
	}
	o.strOmit("urn", in.URN)
	o.str("text", in.Text)
	if len(in.Attachments) > 0 {
		o.key("attachments")
		o.b = appendStrings(o.b, in.Attachments)
	}
	o.strOmit("external_id", in.ExternalID)
	if len(in.Payload) > 0 {
		o.raw("payload", in.Payload)
	}
	return o.end()
}

func appendStrings(b []byte, list []string) []byte {
	return appendArray(b, len(list), func(b []byte, i int) []byte { return appendJSONString(b, list[i]) })
}

func appendRun(b []byte, r *Run) ([]byte, error) {
	o := newJSONObj(b)
	o.str("uuid", r.UUID)
	o.key("flow")
	o.b = appendFlowRef(o.b, r.FlowRef)
	o.str("status", r.Status)
	o.strOmit("parent_uuid", r.ParentUUID)
	if r.HadInput {
		o.raw("had_input", []byte("true"))
	}
	if len(r.Path) > 0 {
		o.array("path", len(r.Path), func(b []byte, i int) []byte {
			so := newJSONObj(b)
			so.str("node_uuid", string(r.Path[i].NodeUUID))
			so.time("arrived_on", r.Path[i].ArrivedOn)
			return so.end()
		})
	}
	if len(r.Results) > 0 {
		o.key("results")
		ro := newJSONObj(o.b)
		for _, k := range sortedKeys(r.Results) {
			ro.key(k)
			ro.b = appendResult(ro.b, r.Results[k])
		}
		o.b = ro.end()
	}
	if len(r.Locals) > 0 {
		o.key("locals")
		lo := newJSONObj(o.b)
		keys := make([]string, 0, len(r.Locals))
		for k := range r.Locals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			lo.str(k, r.Locals[k])
		}
		o.b = lo.end()
	}
	if r.Webhook != nil {
		if err := o.value("webhook", r.Webhook); err != nil {
			return nil, err
		}
	}
	o.time("created_on", r.CreatedOn)
	o.time("modified_on", r.ModifiedOn)
	if r.ExitedOn != nil {
		o.time("exited_on", *r.ExitedOn)
	} else {
		o.raw("exited_on", []byte("null"))
	}
	return o.end(), nil
}

func sortedKeys(m map[string]*Result) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func appendResult(b []byte, res *Result) []byte {
	o := newJSONObj(b)
	o.str("name", res.Name)
	o.str("value", res.Value)
	o.strOmit("category", res.Category)
	o.strOmit("category_localized", res.CategoryLocalized)
	o.str("node_uuid", string(res.NodeUUID))
	o.strOmit("input", res.Input)
	if len(res.Extra) > 0 {
		o.raw("extra", res.Extra)
	}
	o.time("created_on", res.CreatedOn)
	return o.end()
}

// decodeSession reads session JSON into s.
func decodeSession(data []byte, s *Session) error {
	r := &jsonReader{b: data}
	return r.document(func(k []byte) (err error) {
		switch string(k) {
		case "uuid":
			s.UUID, err = r.str()
		case "type":
			s.Type, err = readStr[flow.Type](r)
		case "created_on":
			s.CreatedOn, err = r.time()
		case "status":
			s.Status, err = r.str()
		case "trigger":
			s.Trigger, err = decodeTrigger(r)
		case "contact_uuid":
			s.ContactUUID, err = r.str()
		case "call_uuid":
			s.CallUUID, err = r.str()
		case "input":
			s.Input, err = decodeInput(r)
		case "runs":
			err = r.array(func() error {
				run := &Run{}
				s.Runs = append(s.Runs, run)
				return decodeRun(r, run)
			})
		case "sprints":
			s.Sprints, err = readInt[int](r)
		}
		return err
	})
}

func decodeFlowRef(r *jsonReader) (*flow.FlowRef, error) {
	if r.null() {
		return nil, nil
	}
	f := &flow.FlowRef{}
	return f, r.object(func(k []byte) (err error) {
		switch string(k) {
		case "uuid":
			f.UUID, err = readStr[flow.UUID](r)
		case "name":
			f.Name, err = r.str()
		case "revision":
			f.Revision, err = readInt[int](r)
		}
		return err
	})
}

func decodeTrigger(r *jsonReader) (*Trigger, error) {
	if r.null() {
		return nil, nil
	}
	t := &Trigger{}
	return t, r.object(func(k []byte) (err error) {
		switch string(k) {
		case "type":
			t.Type, err = r.str()
		case "event":
			t.Event, err = r.raw()
			if err == nil && len(t.Event) > 0 {
				t.Parsed, _ = event.Read(t.Event)
			}
		case "flow":
			t.Flow, err = decodeFlowRef(r)
		case "batch":
			t.Batch, err = r.bool()
		case "params":
			t.Params, err = r.raw()
		case "history":
			t.History, err = readNew[event.History](r)
		case "triggered_on":
			t.TriggeredOn, err = r.time()
		case "user":
			t.User, err = readNew[flow.UserRef](r)
		case "origin":
			t.Origin, err = r.str()
		case "keyword_match":
			t.KeywordMatch, err = readNew[KeywordMatch](r)
		case "run_summary":
			t.RunSummary, err = r.raw()
		case "ticket":
			t.Ticket, err = readNew[event.Ticket](r)
		}
		return err
	})
}

func decodeInput(r *jsonReader) (*Input, error) {
	if r.null() {
		return nil, nil
	}
	in := &Input{}
	return in, r.object(func(k []byte) (err error) {
		switch string(k) {
		case "type":
			in.Type, err = r.str()
		case "uuid":
			in.UUID, err = r.str()
		case "created_on":
			in.CreatedOn, err = r.time()
		case "channel":
			in.Channel, err = readNew[flow.ChannelRef](r)
		case "urn":
			in.URN, err = r.str()
		case "text":
			in.Text, err = r.str()
		case "attachments":
			in.Attachments, err = r.strings()
		case "external_id":
			in.ExternalID, err = r.str()
		case "payload":
			in.Payload, err = r.raw()
		}
		return err
	})
}

func decodeRun(r *jsonReader, run *Run) error {
	return r.object(func(k []byte) (err error) {
		switch string(k) {
		case "uuid":
			run.UUID, err = r.str()
		case "flow":
			run.FlowRef, err = decodeFlowRef(r)
		case "status":
			run.Status, err = r.str()
		case "parent_uuid":
			run.ParentUUID, err = r.str()
		case "had_input":
			run.HadInput, err = r.bool()
		case "path":
			err = r.array(func() error {
				st := &Step{}
				run.Path = append(run.Path, st)
				return decodeStep(r, st)
			})
		case "results":
			run.Results, err = decodeResults(r)
		case "locals":
			run.Locals, err = r.stringMap()
		case "webhook":
			run.Webhook, err = readNew[WebhookValue](r)
		case "created_on":
			run.CreatedOn, err = r.time()
		case "modified_on":
			run.ModifiedOn, err = r.time()
		case "exited_on":
			run.ExitedOn, err = r.optTime()
		}
		return err
	})
}

func decodeStep(r *jsonReader, st *Step) error {
	return r.object(func(k []byte) (err error) {
		switch string(k) {
		case "node_uuid":
			st.NodeUUID, err = readStr[flow.NodeUUID](r)
		case "arrived_on":
			st.ArrivedOn, err = r.time()
		}
		return err
	})
}

func decodeResults(r *jsonReader) (map[string]*Result, error) {
	if r.null() {
		return nil, nil
	}
	results := map[string]*Result{}
	err := r.object(func(k []byte) error {
		res := &Result{}
		results[string(k)] = res
		return decodeResult(r, res)
	})
	return results, err
}

func decodeResult(r *jsonReader, res *Result) error {
	return r.object(func(k []byte) (err error) {
		switch string(k) {
		case "name":
			res.Name, err = r.str()
		case "value":
			res.Value, err = r.str()
		case "category":
			res.Category, err = r.str()
		case "category_localized":
			res.CategoryLocalized, err = r.str()
		case "node_uuid":
			res.NodeUUID, err = readStr[flow.NodeUUID](r)
		case "input":
			res.Input, err = r.str()
		case "extra":
			res.Extra, err = r.raw()
		case "created_on":
			res.CreatedOn, err = r.time()
		}
		return err
	})
}

// UnmarshalJSON reads session JSON (the inverse of MarshalJSON); ReadSession also attaches the
// assets, environment and contact a session needs to run.
func (s *Session) UnmarshalJSON(data []byte) error {
	if err := decodeSession(data, s); err != nil {
		return fmt.Errorf("read session: %w", err)
	}
	return nil
}

var _ json.Marshaler = (*Session)(nil)
