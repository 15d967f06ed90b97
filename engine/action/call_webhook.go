package action

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"careflow/engine"
	"careflow/flow"
)

func flowNode(s string) flow.NodeUUID { return flow.NodeUUID(s) }

func init() {
	register(flow.TypeCallWebhook, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.CallWebhook)
		r.SetWebhook(nil)
		rawURL, ok := r.EvaluateText(act.URL)
		if !ok && strings.TrimSpace(rawURL) == "" {
			r.LogError("Webhook URL evaluated to empty string", "", nil)
			return nil
		}
		u := strings.TrimSpace(rawURL)
		if u == "" {
			r.LogError("Webhook URL evaluated to empty string", "", nil)
			return nil
		}
		if !validURL(u) {
			shown := engine.TruncateEllipsis(u, 255)
			r.LogError(fmt.Sprintf("Webhook URL evaluated to an invalid URL: '%s'", shown), "url:invalid", map[string]string{"url": shown})
			return nil
		}
		req := &engine.WebhookRequest{Method: strings.ToUpper(act.Method), URL: u}
		names := make([]string, 0, len(act.Headers))
		for k := range act.Headers {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			v, _ := r.EvaluateText(act.Headers[k])
			req.Headers = append(req.Headers, [2]string{k, v})
		}
		if act.Body != "" {
			req.Body, _ = r.EvaluateTextFull(act.Body, nil)
		}
		size := len(req.Method) + len(req.URL) + 12 + 2 + len(req.Body)
		for _, h := range req.Headers {
			size += len(h[0]) + len(h[1]) + 4
		}
		limit := r.Session().Engine().MaxRequestBytes
		if limit > 0 && size > limit {
			r.LogError(fmt.Sprintf("Webhook request evaluated to %d bytes, exceeding the limit of %d", size, limit), "webhook:request_size",
				map[string]string{"size": strconv.Itoa(size), "limit": strconv.Itoa(limit)})
			return nil
		}
		t := callWebhook(r, req, "")
		if t == nil {
			return nil
		}
		setWebhook(r, req, t, act.ResultName, string(n.UUID), false)
		return nil
	})
}
