package channel

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"careflow/store"
)

// Vonage, formerly Nexmo (NX) (runtime.md §8.4).
func init() {
	Register(&Type{Code: "NX", Path: "nx", Name: "Vonage", Schemes: []string{"tel"}, MaxLength: 1600,
		Secrets: []string{"api_secret"}, Required: []string{"api_key", "api_secret"},
		Actions: map[string]ReceiveFunc{"receive": vonageReceive, "status": vonageStatus}, Send: vonageSend})
}

const vonageDefaultBase = "https://rest.nexmo.com"

func vonageReceive(q *Request) {
	form, ok := q.Form()
	if !ok {
		return
	}
	if form.Get("to") == "" || form.Get("msisdn") == "" {
		q.Ignored("no to or msisdn parameter, ignored")
		return
	}
	entry, ok := q.ReceiveMsg(&Incoming{URN: "tel:+" + strings.TrimPrefix(form.Get("msisdn"), "+"), Text: form.Get("text"),
		ExternalID: form.Get("messageId")})
	if ok {
		q.AcceptMsgs(entry)
	}
}

var vonageStatuses = map[string]string{"delivered": store.MsgDelivered, "accepted": store.MsgSent, "buffered": store.MsgSent,
	"failed": store.MsgFailed, "expired": store.MsgFailed, "rejected": store.MsgFailed, "unknown": store.MsgWired}

func vonageStatus(q *Request) {
	q.SetLogType("msg_status")
	form, ok := q.Form()
	if !ok {
		return
	}
	if form.Get("messageId") == "" || form.Get("status") == "" {
		q.Ignored("no messageId or status parameter, ignored")
		return
	}
	status, known := vonageStatuses[form.Get("status")]
	if !known {
		q.Ignored("ignoring unknown status report")
		return
	}
	u := StatusUpdate{ExternalID: form.Get("messageId"), Status: status}
	if code := form.Get("err-code"); code != "" && code != "0" {
		u.Reason = "error " + code
	}
	if entry, ok := q.UpdateStatus(u); ok {
		q.AcceptStatus(entry)
	}
}

func vonageSend(s *Send) Result {
	cfg := s.Config
	endpoint := strings.TrimRight(cfg.StrOr("base_url", vonageDefaultBase), "/") + "/sms/json"
	var first string
	for _, part := range s.Parts(s.TextFallback(false, false)) {
		form := url.Values{"api_key": {cfg.Str("api_key")}, "api_secret": {cfg.Str("api_secret")},
			"from": {strings.TrimPrefix(s.Channel.Address, "+")}, "to": {strings.TrimPrefix(s.Path(), "+")}, "text": {part},
			"status-report-req": {"1"}, "client-ref": {s.Msg.UUID}, "type": {"text"}}
		if cb := s.CallbackURL("status"); cb != "" {
			form.Set("callback", cb)
		}
		if !isGSM7(part) {
			form.Set("type", "unicode")
		}
		req, _ := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		status, body, err := s.Do(req)
		if err != nil {
			return Errored("connection failed")
		}
		if status/100 != 2 {
			return Errored("provider answered HTTP " + http.StatusText(status))
		}
		var ans struct {
			Messages []struct {
				Status    string `json:"status"`
				MessageID string `json:"message-id"`
				ErrorText string `json:"error-text"`
			} `json:"messages"`
		}
		if json.Unmarshal(body, &ans) != nil || len(ans.Messages) == 0 {
			return Errored("unreadable provider answer")
		}
		m := ans.Messages[0]
		switch m.Status {
		case "0":
		case "1": // Throughput Rate Exceeded
			return Throttle()
		case "5": // internal error
			return Errored(m.ErrorText)
		default:
			return Failed(m.ErrorText)
		}
		if first == "" {
			first = m.MessageID
		}
	}
	return Wired(first)
}
