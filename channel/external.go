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

// exMaxXMLBody is how much of an XML body courier reads.
const exMaxXMLBody = 100000

func exReceive(q *Request) {
	var from, text, date string
	if fromPath, textPath := q.Config.Str("from_xpath"), q.Config.Str("text_xpath"); fromPath != "" && textPath != "" {
		var ok bool
		if from, text, ok = exReceiveXML(q, fromPath, textPath); !ok {
			return
		}
	} else {
		form, ok := q.Form()
		if !ok {
			return
		}
		from = formField(form, q.Config.Str("mo_from_field"), "from", "sender")
		text = formField(form, q.Config.Str("mo_text_field"), "text")
		date = formField(form, q.Config.Str("mo_date_field"), "date", "time")
	}
	if from == "" {
		q.Error(http.StatusBadRequest, "must have one of 'sender' or 'from' set")
		return
	}
	in := &Incoming{URN: exURN(q, from), Text: text}
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

// formField reads the configured field when the request has it, else the first default
// present (courier's getFormField: a field present but empty counts as present).
func formField(form url.Values, configured string, defaults ...string) string {
	if configured != "" {
		if v, ok := form[configured]; ok {
			return v[0]
		}
	}
	for _, name := range defaults {
		if v, ok := form[name]; ok {
			return v[0]
		}
	}
	return ""
}

// exReceiveXML reads the sender and text of an XML (SOAP) webhook at the channel's XPaths.
func exReceiveXML(q *Request, fromPath, textPath string) (from, text string, ok bool) {
	if !q.BodyOK() {
		return "", "", false
	}
	fromSteps, err := compileXPath(fromPath)
	if err == nil {
		var textSteps []xstep
		if textSteps, err = compileXPath(textPath); err == nil {
			body := q.Body()
			if len(body) > exMaxXMLBody {
				q.Error(http.StatusBadRequest, "unable to parse request XML: the body is larger than 100000 bytes")
				return "", "", false
			}
			root, err := parseXMLTree(body)
			if err != nil {
				q.Error(http.StatusBadRequest, "unable to parse request XML: "+err.Error())
				return "", "", false
			}
			fromNode, textNode := findXPath(root, fromSteps), findXPath(root, textSteps)
			if fromNode == nil || textNode == nil {
				q.Error(http.StatusBadRequest, "missing from at: "+fromPath+" or text at: "+textPath+" node")
				return "", "", false
			}
			return fromNode.innerText(), textNode.innerText(), true
		}
	}
	q.Error(http.StatusBadRequest, "the channel's from_xpath or text_xpath is not supported: "+err.Error())
	return "", "", false
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
	smart := cfg.Str("encoding") == "S"
	for i, part := range parts {
		if smart {
			part = smartGSM7(part)
		}
		vars := map[string]string{"id": s.Msg.UUID, "uuid": s.Msg.UUID, "text": part, "to": to,
			"to_no_plus": strings.TrimPrefix(to, "+"), "from": from, "from_no_plus": strings.TrimPrefix(from, "+"),
			"channel": s.Channel.UUID, "session_status": ""}
		var qrs []string
		if i == len(parts)-1 {
			qrs = s.Msg.QuickReplies
		}
		sendURL := expand(cfg.Str("send_url"), vars, qrs, "url")
		// Only POST and PUT carry the body template, as courier sends them.
		var body string
		hasBody := method == http.MethodPost || method == http.MethodPut
		if hasBody {
			body = expand(cfg.StrOr("body", exDefaultBody), vars, qrs, contentType)
		}
		req, err := http.NewRequest(method, sendURL, strings.NewReader(body))
		if err != nil {
			return Failed("invalid send URL")
		}
		if !hasBody {
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

// expand fills a template; values are encoded for where they go: a JSON string literal, XML
// text, or URL-encoded for the URL and form bodies. A body of a custom content type gets them
// as they are, as courier leaves them.
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
		case "url", "urlencoded":
			return url.QueryEscape(v)
		default:
			return v
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
