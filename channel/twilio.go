package channel

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"careflow/runtime"
	"careflow/store"
)

// Twilio, SMS (T) and WhatsApp (TWA) (runtime.md §8.3): webhooks signed with the auth token,
// TwiML answers, sends to the Messages API with a status callback carrying our message UUID.
func init() {
	for _, wa := range []bool{false, true} {
		t := &Type{Code: "T", Path: "t", Name: "Twilio", Schemes: []string{"tel"}, MaxLength: 1600,
			Secrets: []string{"auth_token"}, Required: []string{"account_sid", "auth_token"}, FetchAuth: twilioAuth}
		if wa {
			t.Code, t.Path, t.Name, t.Schemes = "TWA", "twa", "Twilio WhatsApp", []string{"whatsapp"}
		}
		t.Actions = map[string]ReceiveFunc{"receive": twilioReceive(wa), "status": twilioStatus}
		t.Send = twilioSend(wa)
		Register(t)
	}
}

const twilioDefaultBase = "https://api.twilio.com"

// twilioErrorStop is Twilio's "the recipient opted out" error; twilioErrorRetry a WhatsApp
// rate error worth retrying.
const (
	twilioErrorStop  = 21610
	twilioErrorRetry = 63018
)

func twilioAuth(req *http.Request, cfg Config) {
	req.SetBasicAuth(cfg.Str("account_sid"), cfg.Str("auth_token"))
}

// twilioSigned checks X-Twilio-Signature: base64 HMAC-SHA1 with the auth token over the URL
// Twilio called followed by every form key and value, keys sorted.
func twilioSigned(q *Request, form url.Values) bool {
	got := q.R.Header.Get("X-Twilio-Signature")
	if got == "" {
		return false
	}
	path := q.R.URL.RequestURI()
	if fp := q.R.Header.Get("X-Forwarded-Path"); fp != "" {
		path = fp
	}
	var sb strings.Builder
	sb.WriteString("https://" + q.R.Host + path)
	post := q.R.PostForm
	keys := make([]string, 0, len(post))
	for k := range post {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range post[k] {
			sb.WriteString(k + v)
		}
	}
	mac := hmac.New(sha1.New, []byte(q.Config.Str("auth_token")))
	mac.Write([]byte(sb.String()))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(got), []byte(want))
}

const twiml = `<?xml version="1.0" encoding="UTF-8"?><Response/>`

func twilioReceive(wa bool) ReceiveFunc {
	return func(q *Request) {
		form, ok := q.Form()
		if !ok {
			return
		}
		if !twilioSigned(q, form) {
			q.Error(http.StatusBadRequest, "invalid request signature")
			return
		}
		from, sid := form.Get("From"), form.Get("MessageSid")
		if from == "" || sid == "" || form.Get("To") == "" {
			q.Error(http.StatusBadRequest, "fields 'MessageSid', 'From' and 'To' are required")
			return
		}
		urn := "tel:" + from
		if wa {
			urn = "whatsapp:" + strings.TrimPrefix(strings.TrimPrefix(from, "whatsapp:"), "+")
		}
		text := form.Get("Body")
		if text == "" && form.Get("ButtonText") != "" {
			text = form.Get("ButtonText")
		}
		in := &Incoming{URN: urn, Text: text, ExternalID: sid}
		n, _ := strconv.Atoi(form.Get("NumMedia"))
		for i := 0; i < min(n, runtime.MaxIncomingAttachments); i++ {
			if u := form.Get("MediaUrl" + strconv.Itoa(i)); u != "" {
				in.Attachments = append(in.Attachments, u)
			}
		}
		if _, ok := q.ReceiveMsg(in); ok {
			q.Respond(http.StatusOK, "text/xml", twiml)
		}
	}
}

var twilioStatuses = map[string]string{"queued": store.MsgSent, "sent": store.MsgSent, "delivered": store.MsgDelivered,
	"read": store.MsgRead, "failed": store.MsgFailed, "undelivered": store.MsgFailed}

func twilioStatus(q *Request) {
	q.SetLogType("msg_status")
	form, ok := q.Form()
	if !ok {
		return
	}
	if !twilioSigned(q, form) {
		q.Error(http.StatusBadRequest, "invalid request signature")
		return
	}
	status, known := twilioStatuses[form.Get("MessageStatus")]
	if form.Get("MessageStatus") == "" || (form.Get("MessageSid") == "" && form.Get("uuid") == "") {
		q.Error(http.StatusBadRequest, "fields 'MessageSid' and 'MessageStatus' are required")
		return
	}
	if !known {
		q.Ignored("unknown status: " + form.Get("MessageStatus"))
		return
	}
	code, _ := strconv.Atoi(form.Get("ErrorCode"))
	if code == twilioErrorRetry {
		status = store.MsgErrored
	}
	if q.Config.Bool("ignore_dlrs") && status != store.MsgFailed {
		q.Ignored("delivery reports ignored")
		return
	}
	u := StatusUpdate{MsgUUID: form.Get("uuid"), ExternalID: form.Get("MessageSid"), Status: status}
	if u.MsgUUID != "" && !uuidRE.MatchString(u.MsgUUID) {
		q.Error(http.StatusBadRequest, "uuid must be a message UUID")
		return
	}
	if code != 0 {
		u.Reason = "error " + strconv.Itoa(code)
	}
	entry, ok := q.UpdateStatus(u)
	if !ok {
		return
	}
	if code == twilioErrorStop && form.Get("To") != "" {
		_, _ = q.svc.RT.Receive(q.R.Context(), &runtime.Inbound{WorkspaceID: q.Channel.WorkspaceID, ChannelUUID: q.Channel.UUID,
			URN: "tel:" + form.Get("To"), Country: q.Channel.Country, Event: runtime.EventStopContact})
	}
	q.AcceptStatus(entry)
}

func twilioSend(wa bool) SendFunc {
	return func(s *Send) Result {
		cfg := s.Config
		endpoint := strings.TrimRight(cfg.StrOr("base_url", twilioDefaultBase), "/") + "/2010-04-01/Accounts/" +
			url.PathEscape(cfg.Str("account_sid")) + "/Messages.json"
		to, from := s.Path(), s.Channel.Address
		if wa {
			to, from = "whatsapp:+"+strings.TrimPrefix(to, "+"), "whatsapp:"+from
		}
		parts := s.Parts(s.TextFallback(true, false))
		atts := s.Attachments()
		var first string
		for i, part := range parts {
			form := url.Values{"To": {to}, "Body": {part}}
			if cb := s.CallbackURL("status"); cb != "" {
				form.Set("StatusCallback", cb+"?uuid="+s.Msg.UUID+"&action=callback")
			}
			if i == 0 {
				for _, a := range atts {
					form.Add("MediaUrl", a.URL)
				}
			}
			if sid := cfg.Str("messaging_service_sid"); sid != "" && !wa {
				form.Set("MessagingServiceSid", sid)
			} else {
				form.Set("From", from)
			}
			req, _ := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept", "application/json")
			twilioAuth(req, cfg)
			status, body, err := s.Do(req)
			if err != nil {
				return Errored("connection failed")
			}
			var ans struct {
				SID     string `json:"sid"`
				Code    int    `json:"code"`
				Message string `json:"message"`
			}
			_ = json.Unmarshal(body, &ans)
			switch {
			case ans.Code == twilioErrorStop:
				return Result{Status: store.MsgFailed, Reason: "contact opted out", StopContact: true}
			case status == http.StatusTooManyRequests:
				return Throttle()
			case status >= 500:
				return Errored("provider answered HTTP " + strconv.Itoa(status))
			case status/100 != 2:
				return Failed("provider refused: " + ans.Message)
			case ans.SID == "":
				return Errored("provider answer has no sid")
			}
			if first == "" {
				first = ans.SID
			}
		}
		return Wired(first)
	}
}
