package action

import (
	"strings"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/expr"
	"careflow/flow"
)

func init() {
	register(flow.TypeCallResthook, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.CallResthook)
		r.SetWebhook(nil)
		hook := r.Session().Assets().Resthook(act.Resthook)
		if hook == nil {
			return nil
		}
		payload := resthookPayload(r)
		r.Log(event.NewResthookCalled(act.Resthook, payload))
		var chosen *engine.WebhookTrace
		var chosenReq *engine.WebhookRequest
		rank := 0 // 1 = gone, 2 = success, 3 = failure
		for _, sub := range hook.Subscribers {
			req := &engine.WebhookRequest{Method: "POST", URL: sub, Body: string(payload),
				Headers: [][2]string{{"Content-Type", "application/json"}}}
			t := callWebhook(r, req, act.Resthook)
			if t == nil {
				continue
			}
			k := 2
			switch webhookStatus(t, true) {
			case "subscriber_gone":
				k = 1
			case "success":
				k = 2
			default:
				k = 3
			}
			if k >= rank {
				chosen, chosenReq, rank = t, req, k
			}
		}
		if chosen == nil {
			return nil
		}
		setWebhook(r, chosenReq, chosen, act.ResultName, string(n.UUID), true)
		return nil
	})
}

// resthookPayload builds the JSON a resthook posts (flows.md §3.4).
func resthookPayload(r *engine.Run) []byte {
	s := r.Session()
	env := s.Env()
	c := s.Contact()
	redact := env.RedactionPolicy == expr.RedactionURNs
	contact := expr.NewObject().Set("uuid", expr.Text(c.UUID)).Set("name", expr.Text(c.Name)).Set("language", expr.Text(c.Language))
	// contact.urn, as the reference's payload template says: the preferred (sendable) URN
	if u := s.PreferredURN(c); u != nil {
		contact.Set("urn", expr.Text(u.Rendered(redact)))
	} else {
		contact.Set("urn", nil)
	}
	f := r.FlowRef
	flowObj := expr.NewObject().Set("uuid", expr.Text(string(f.UUID))).Set("name", expr.Text(f.Name)).Set("revision", expr.NumberFromInt(int64(f.Revision)))
	path := make([]expr.Value, len(r.Path))
	for i, st := range r.Path {
		path[i] = expr.NewObject().Set("node_uuid", expr.Text(string(st.NodeUUID))).Set("arrived_on", expr.NewDateTime(st.ArrivedOn))
	}
	results := expr.NewObject()
	for k, res := range r.Results {
		o := expr.NewObject().Set("name", expr.Text(res.Name)).Set("value", expr.Text(res.Value)).
			Set("category", expr.Text(res.Category)).Set("node_uuid", expr.Text(string(res.NodeUUID))).
			Set("input", expr.Text(res.Input)).Set("created_on", expr.NewDateTime(res.CreatedOn))
		results.Set(k, o)
	}
	run := expr.NewObject().Set("uuid", expr.Text(r.UUID)).Set("created_on", expr.NewDateTime(r.CreatedOn))
	var input expr.Value
	var channel expr.Value
	if in := s.Input; in != nil {
		atts := make([]expr.Value, len(in.Attachments))
		for i, a := range in.Attachments {
			ct, u := "", a
			if j := strings.IndexByte(a, ':'); j >= 0 {
				ct, u = a[:j], a[j+1:]
			}
			atts[i] = expr.NewObject().Set("content_type", expr.Text(ct)).Set("url", expr.Text(u))
		}
		io := expr.NewObject().Set("uuid", expr.Text(in.UUID)).Set("type", expr.Text(in.Type)).Set("text", expr.Text(in.Text)).
			Set("attachments", expr.NewArray(atts...)).Set("created_on", expr.NewDateTime(in.CreatedOn))
		if in.Channel != nil {
			channel = expr.NewObject().Set("uuid", expr.Text(in.Channel.UUID)).Set("name", expr.Text(in.Channel.Name))
		}
		io.Set("channel", channel)
		if in.URN != "" {
			if u, err := engine.ParseURN(in.URN); err == nil {
				display := ""
				if fn, ok := expr.LookupFunction("format_urn"); ok {
					display, _ = expr.ToText(env, fn.Call(env, []expr.Value{expr.Text(u.Identity())}))
				}
				path := u.Path
				if redact {
					path, display = "********", "********"
				}
				io.Set("urn", expr.NewObject().Set("scheme", expr.Text(u.Scheme)).Set("path", expr.Text(path)).Set("display", expr.Text(display)))
			}
		} else {
			io.Set("urn", nil)
		}
		input = io
	}
	root := expr.NewObject().Set("contact", contact).Set("flow", flowObj).Set("path", expr.NewArray(path...)).
		Set("results", results).Set("run", run).Set("input", input).Set("channel", channel)
	b, err := expr.ToJSON(root)
	if err != nil {
		return []byte("{}")
	}
	return b
}
