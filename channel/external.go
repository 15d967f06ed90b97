package channel

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"careflow/runtime"
	"careflow/store"
)

// External API (EX): a generic HTTP channel whose send request is a template and whose
// receive field names are configurable (runtime.md §8.2).
func init() {
	Register(&Type{Code: "EX", Path: "ex", Name: "External API", Schemes: []string{"tel"},
		Secrets: []string{"send_authorization"}, Required: []string{"send_url"}, MaxLength: 160,
		Actions: map[string]ReceiveFunc{
			"receive":   exReceive,
			"sent":      exStatus(store.MsgSent),
			"delivered": exStatus(store.MsgDelivered),
			"failed":    exStatus(store.MsgFailed),
			"stopped":   exStopped,
		},
		Send: exSend})
}

const exDefaultBody = "uuid={{uuid}}&text={{text}}&to={{to}}&to_no_plus={{to_no_plus}}&from={{from}}&from_no_plus={{from_no_plus}}&channel={{channel}}"

func exReceive(q *Request) {
	form, ok := q.Form()
	if !ok {
		return
	}
	from := form.Get(q.Config.StrOr("mo_from_field", "from"))
	if from == "" {
		from = form.Get("sender")
	}
	if from == "" {
		q.Error(http.StatusBadRequest, "must have one of 'sender' or 'from' set")
		return
	}
	in := &Incoming{URN: exURN(q, from), Text: form.Get(q.Config.StrOr("mo_text_field", "text"))}
	date := form.Get(q.Config.StrOr("mo_date_field", "date"))
	if date == "" {
		date = form.Get("time")
	}
	if date != "" {
		t, err := time.Parse(time.RFC3339Nano, date)
		if err != nil {
			q.Error(http.StatusBadRequest, "invalid date format, must be RFC 3339")
			return
		}
		in.ReceivedOn = t
	}
	entry, ok := q.ReceiveMsg(in)
	if !ok {
		return
	}
	if body := q.Config.Str("mo_response"); body != "" {
		q.Respond(http.StatusOK, q.Config.StrOr("mo_response_content_type", "text/plain"), body)
		return
	}
	q.AcceptMsgs(entry)
}

// exURN reads the sender as a number of the channel's country for tel channels, else as the
// path of the channel's scheme.
func exURN(q *Request, from string) string {
	scheme := "tel"
	if len(q.Channel.Schemes) > 0 {
		scheme = q.Channel.Schemes[0]
	}
	if strings.Contains(from, ":") && scheme != "tel" {
		return from
	}
	return scheme + ":" + from
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func exStatus(status string) ReceiveFunc {
	return func(q *Request) {
		q.SetLogType("msg_status")
		form, ok := q.Form()
		if !ok {
			return
		}
		id := form.Get("id")
		if id == "" {
			id = form.Get("uuid")
		}
		if !uuidRE.MatchString(id) {
			q.Error(http.StatusBadRequest, "field 'id' or 'uuid' must be a message UUID")
			return
		}
		if entry, ok := q.UpdateStatus(StatusUpdate{MsgUUID: strings.ToLower(id), Status: status}); ok {
			q.AcceptStatus(entry)
		}
	}
}

func exStopped(q *Request) {
	form, ok := q.Form()
	if !ok {
		return
	}
	from := form.Get("from")
	if from == "" {
		q.Error(http.StatusBadRequest, "field 'from' required")
		return
	}
	q.ReceiveEvent(exURN(q, from), runtime.EventStopContact, nil)
}

func exSend(s *Send) Result {
	cfg := s.Config
	method := strings.ToUpper(cfg.StrOr("method", http.MethodPost))
	contentType := cfg.StrOr("content_type", "urlencoded")
	to := s.Path()
	if cfg.Bool("use_national") && strings.HasPrefix(to, "+") {
		to = nationalNumber(to)
	}
	from := s.Channel.Address
	parts := s.Parts(s.TextFallback(false, true))
	for i, part := range parts {
		vars := map[string]string{"id": s.Msg.UUID, "uuid": s.Msg.UUID, "text": part, "to": to,
			"to_no_plus": strings.TrimPrefix(to, "+"), "from": from, "from_no_plus": strings.TrimPrefix(from, "+"),
			"channel": s.Channel.UUID, "session_status": ""}
		var qrs []string
		if i == len(parts)-1 {
			qrs = s.Msg.QuickReplies
		}
		sendURL := expand(cfg.Str("send_url"), vars, qrs, "url")
		var body string
		if method != http.MethodGet {
			body = expand(cfg.StrOr("body", exDefaultBody), vars, qrs, contentType)
		}
		req, err := http.NewRequest(method, sendURL, strings.NewReader(body))
		if err != nil {
			return Failed("invalid send URL")
		}
		if method == http.MethodGet {
			req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
		}
		switch contentType {
		case "urlencoded":
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		case "json":
			req.Header.Set("Content-Type", "application/json")
		case "xml":
			req.Header.Set("Content-Type", "text/xml; charset=utf-8")
		default:
			req.Header.Set("Content-Type", contentType)
		}
		if a := cfg.Str("send_authorization"); a != "" {
			req.Header.Set("Authorization", a)
		}
		if h, ok := cfg["headers"].(map[string]any); ok {
			for k, v := range h {
				if vs, ok := v.(string); ok {
					req.Header.Set(k, vs)
				}
			}
		}
		status, respBody, err := s.Do(req)
		if err != nil {
			return Errored("connection failed")
		}
		if status/100 != 2 {
			return Errored("provider answered HTTP " + http.StatusText(status))
		}
		if check := cfg.Str("mt_response_check"); check != "" && !strings.Contains(string(respBody), check) {
			return Errored("response did not contain the expected text")
		}
	}
	return Wired("")
}

var tmplVar = regexp.MustCompile(`\{\{\s*([a-z_]+)\s*\}\}`)

// expand fills a template; values are encoded for where they go (URL, form, JSON, XML).
func expand(tmpl string, vars map[string]string, qrs []string, enc string) string {
	return tmplVar.ReplaceAllStringFunc(tmpl, func(m string) string {
		name := tmplVar.FindStringSubmatch(m)[1]
		if name == "quick_replies" {
			return encodeQuickReplies(qrs, enc)
		}
		v, ok := vars[name]
		if !ok {
			return m
		}
		switch enc {
		case "json":
			b, _ := json.Marshal(v)
			return string(b)
		case "xml":
			var sb strings.Builder
			_ = xml.EscapeText(&sb, []byte(v))
			return sb.String()
		default:
			return url.QueryEscape(v)
		}
	})
}

func encodeQuickReplies(qrs []string, enc string) string {
	switch enc {
	case "json":
		if qrs == nil {
			qrs = []string{}
		}
		b, _ := json.Marshal(qrs)
		return string(b)
	case "xml":
		var sb strings.Builder
		for _, q := range qrs {
			sb.WriteString("<item>")
			_ = xml.EscapeText(&sb, []byte(q))
			sb.WriteString("</item>")
		}
		return sb.String()
	default:
		var sb strings.Builder
		for _, q := range qrs {
			sb.WriteString("&quick_reply=" + url.QueryEscape(q))
		}
		return sb.String()
	}
}

// nationalNumber drops a few well-known country codes' prefix; numbers it does not know are
// left international.
func nationalNumber(e164 string) string {
	for _, cc := range []string{"250", "254", "255", "256", "234", "233", "27", "1", "44", "91"} {
		if rest, ok := strings.CutPrefix(e164, "+"+cc); ok {
			if cc == "1" {
				return rest
			}
			return "0" + rest
		}
	}
	return e164
}
