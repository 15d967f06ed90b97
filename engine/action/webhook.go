package action

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"careflow/engine"
	"careflow/engine/event"
)

const maxWebhookURL = 8192

// webhookStatus classifies a call for the webhook_called event.
func webhookStatus(t *engine.WebhookTrace, resthook bool) string {
	switch {
	case t.StatusCode == 0 || t.BodyTooLarge:
		return "connection_error"
	case resthook && t.StatusCode == 410:
		return "subscriber_gone"
	case t.StatusCode >= 200 && t.StatusCode < 300:
		return "success"
	}
	return "response_error"
}

// validURL checks an evaluated webhook URL.
func validURL(s string) bool {
	if len(s) > maxWebhookURL {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

// cleanJSON returns the body as JSON if it is valid once invalid UTF-8 and NULs are dropped.
func cleanJSON(body []byte) json.RawMessage {
	if len(body) == 0 {
		return nil
	}
	s := string(body)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.ReplaceAll(s, `\u0000`, "")
	if !json.Valid([]byte(s)) {
		return nil
	}
	return json.RawMessage(s)
}

// callWebhook makes one call and logs it; it returns the trace, or nil when the call was refused.
func callWebhook(r *engine.Run, req *engine.WebhookRequest, resthook string) *engine.WebhookTrace {
	eng := r.Session().Engine()
	if eng.Webhooks == nil {
		r.LogError("no webhook service configured", "", nil)
		return nil
	}
	t := eng.Webhooks.Call(req)
	if t.Blocked {
		host := req.URL
		if u, err := url.Parse(req.URL); err == nil {
			host = u.Hostname()
		}
		r.LogError(fmt.Sprintf("Webhook calls to %s are not allowed", host), "url:blocked", map[string]string{"hostname": host})
		return nil
	}
	if t.BodyTooLarge {
		r.Log(event.NewWarning(fmt.Sprintf("Webhook response exceeded the limit of %d bytes", t.ResponseLimit), "webhook:response_size",
			map[string]string{"limit": strconv.Itoa(t.ResponseLimit)}))
	}
	e := event.NewWebhookCalled()
	e.URL = req.URL
	e.Status = webhookStatus(t, resthook != "")
	e.StatusCode = t.StatusCode
	e.Request = engine.TruncateEllipsis(t.Request, 10000)
	e.Response = engine.TruncateEllipsis(t.Response, 10000)
	e.ElapsedMS = t.ElapsedMS
	e.Retries = t.Retries
	e.Sizes = event.Sizes{Request: t.RequestSize, Response: t.ResponseSize}
	e.Resthook = resthook
	r.Log(e)
	return t
}

// setWebhook stores the call as @webhook and saves the result when asked.
func setWebhook(r *engine.Run, req *engine.WebhookRequest, t *engine.WebhookTrace, resultName, nodeUUID string, resthook bool) {
	w := &engine.WebhookValue{Method: req.Method, URL: req.URL, Status: t.StatusCode}
	if t.StatusCode != 0 {
		w.Headers = map[string]string{}
		for k, v := range t.Headers {
			if !strings.EqualFold(k, "Content-Length") {
				w.Headers[k] = v
			}
		}
	}
	var body json.RawMessage
	if !t.BodyTooLarge {
		body = cleanJSON(t.Body)
	}
	w.JSON = body
	if w.JSON == nil {
		w.JSON = json.RawMessage("null")
	}
	r.SetWebhook(w)
	if resultName == "" {
		return
	}
	category := "Failure"
	if webhookStatus(t, resthook) == "success" {
		category = "Success"
	}
	var extra json.RawMessage
	if body != nil && len(body) < 10000 {
		extra = body
	}
	r.SaveResult(resultName, strconv.Itoa(t.StatusCode), category, "", flowNode(nodeUUID), req.Method+" "+req.URL, extra)
}
