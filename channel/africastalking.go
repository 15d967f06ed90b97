package channel

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"careflow/store"
)

// Africa's Talking (AT) (runtime.md §8.5).
func init() {
	recv := atReceive
	st := atStatus
	Register(&Type{Code: "AT", Path: "at", Name: "Africa's Talking", Schemes: []string{"tel"}, MaxLength: 160,
		Secrets: []string{"api_key"}, Required: []string{"username", "api_key"},
		Actions: map[string]ReceiveFunc{"receive": recv, "callback": recv, "delivery": st, "status": st}, Send: atSend})
}

const atDefaultSendURL = "https://api.africastalking.com/version1/messaging"

func atReceive(q *Request) {
	form, ok := q.Form()
	if !ok {
		return
	}
	var missing []string
	for _, k := range []string{"id", "text", "from", "to", "date"} {
		if form.Get(k) == "" {
			missing = append(missing, "field '"+k+"' required")
		}
	}
	if len(missing) > 0 {
		q.Error(http.StatusBadRequest, missing...)
		return
	}
	var date time.Time
	var err error
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05"} {
		if date, err = time.Parse(layout, form.Get("date")); err == nil {
			break
		}
	}
	if err != nil {
		q.Error(http.StatusBadRequest, "invalid date format: "+form.Get("date"))
		return
	}
	entry, ok := q.ReceiveMsg(&Incoming{URN: "tel:" + form.Get("from"), Text: form.Get("text"), ExternalID: form.Get("id"),
		ReceivedOn: date})
	if ok {
		q.AcceptMsgs(entry)
	}
}

var atStatuses = map[string]string{"Success": store.MsgDelivered, "Sent": store.MsgSent, "Buffered": store.MsgSent,
	"Rejected": store.MsgFailed, "Failed": store.MsgFailed, "Expired": store.MsgFailed}

func atStatus(q *Request) {
	q.SetLogType("msg_status")
	form, ok := q.Form()
	if !ok {
		return
	}
	status, known := atStatuses[form.Get("status")]
	if form.Get("id") == "" || !known {
		q.Error(http.StatusBadRequest, "field 'id' and a known 'status' required")
		return
	}
	u := StatusUpdate{ExternalID: form.Get("id"), Status: status}
	if status == store.MsgFailed {
		u.Reason = form.Get("failureReason")
	}
	if entry, ok := q.UpdateStatus(u); ok {
		q.AcceptStatus(entry)
	}
}

func atSend(s *Send) Result {
	cfg := s.Config
	var first string
	for _, part := range s.Parts(s.TextFallback(false, false)) {
		form := url.Values{"username": {cfg.Str("username")}, "to": {s.Path()}, "message": {part}}
		if !cfg.Bool("is_shared") {
			form.Set("from", s.Channel.Address)
		}
		req, _ := http.NewRequest(http.MethodPost, cfg.StrOr("send_url", atDefaultSendURL), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("apikey", cfg.Str("api_key"))
		status, body, err := s.Do(req)
		if err != nil {
			return Errored("connection failed")
		}
		if status == http.StatusTooManyRequests {
			return Throttle()
		}
		if status/100 != 2 {
			return Errored("provider answered HTTP " + http.StatusText(status))
		}
		var ans struct {
			SMSMessageData struct {
				Recipients []struct {
					Status    string `json:"status"`
					MessageID string `json:"messageId"`
				} `json:"Recipients"`
			} `json:"SMSMessageData"`
		}
		if json.Unmarshal(body, &ans) != nil || len(ans.SMSMessageData.Recipients) == 0 {
			return Errored("unreadable provider answer")
		}
		r := ans.SMSMessageData.Recipients[0]
		switch r.Status {
		case "Success":
		case "UserInBlacklist", "UserInBlackList":
			return Result{Status: store.MsgFailed, Reason: "contact opted out", StopContact: true}
		default:
			return Failed(r.Status)
		}
		if first == "" {
			first = r.MessageID
		}
	}
	return Wired(first)
}
