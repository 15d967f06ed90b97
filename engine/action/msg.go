package action

import (
	"strings"
	"unicode"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

const (
	maxAttachmentChars = 2048
	maxQuickReplyText  = 64
	maxQuickReplyExtra = 1000
)

// evalAttachments evaluates attachment templates, dropping (with an error) invalid ones.
func evalAttachments(r *engine.Run, tpls []string) []string {
	var out []string
	for _, tpl := range tpls {
		a, _ := r.EvaluateText(tpl)
		a = strings.TrimSpace(a)
		if !validAttachment(a) {
			r.LogError("Attachment evaluated to invalid value and will be ignored", "", nil)
			continue
		}
		if len([]rune(a)) > maxAttachmentChars {
			r.LogError("Evaluated attachment is longer than the 2048 limit and will be ignored", "", nil)
			continue
		}
		out = append(out, a)
	}
	return out
}

func validAttachment(a string) bool {
	i := strings.IndexByte(a, ':')
	return i > 0 && i < len(a)-1
}

// evalQuickReplies evaluates and parses quick reply templates.
func evalQuickReplies(r *engine.Run, tpls []string) []event.QuickReply {
	var out []event.QuickReply
	for _, tpl := range tpls {
		q, _ := r.EvaluateText(tpl)
		if strings.TrimSpace(q) == "" {
			r.LogError("Quick reply evaluated to empty string and will be ignored", "", nil)
			continue
		}
		out = append(out, ParseQuickReply(q))
	}
	return out
}

// ParseQuickReply reads the quick reply syntax of flows.md §7.
func ParseQuickReply(s string) event.QuickReply {
	qr := event.QuickReply{Type: "text"}
	for _, t := range []string{"location", "form", "url"} {
		if p := "<" + t + ">"; strings.HasPrefix(s, p) {
			qr.Type = t
			s = s[len(p):]
			break
		}
	}
	text, extra := s, ""
	if i := strings.Index(s, "<extra>"); i >= 0 {
		text, extra = s[:i], s[i+len("<extra>"):]
	}
	qr.Text = engine.TruncateEllipsis(strings.TrimSpace(text), maxQuickReplyText)
	qr.Extra = engine.TruncateEllipsis(strings.TrimSpace(extra), maxQuickReplyExtra)
	return qr
}

// unsendableReason says why a message can't be sent to the contact, or "".
func unsendableReason(r *engine.Run, text string, noRoute bool) string {
	switch r.Session().Contact().Status {
	case engine.StatusBlocked:
		return "contact_blocked"
	case engine.StatusStopped:
		return "contact_stopped"
	case engine.StatusArchived:
		return "contact_archived"
	}
	if noRoute {
		return "no_route"
	}
	if f := r.Session().Engine().CheckSendable; f != nil {
		return f(text)
	}
	return ""
}

// locale joins a language and a country (either may be empty).
func locale(lang, country string) string {
	switch {
	case lang != "" && country != "":
		return lang + "-" + country
	case lang != "":
		return lang
	}
	return ""
}

// templating builds a templated message preview for the channel when the template has a
// translation matching the contact's or environment's locale.
func templating(r *engine.Run, ref *flow.TemplateRef, varTpls []string, ch *engine.Channel, msg *event.MsgOut) bool {
	s := r.Session()
	tpl := s.Assets().Template(ref.UUID)
	if tpl == nil || ch == nil {
		return false
	}
	env := s.Env()
	var locales []string
	c := s.Contact()
	if c.Language != "" {
		locales = append(locales, locale(c.Language, env.DefaultCountry))
	}
	if len(s.Env().AllowedLanguages) > 0 {
		locales = append(locales, locale(s.Env().AllowedLanguages[0], env.DefaultCountry))
	}
	var tr *engine.TemplateTranslation
	for _, l := range locales {
		for _, t := range tpl.Translations {
			if t.Channel != nil && t.Channel.UUID == ch.UUID && t.Locale == l {
				tr = t
				break
			}
		}
		if tr == nil {
			lang := strings.SplitN(l, "-", 2)[0]
			for _, t := range tpl.Translations {
				if t.Channel != nil && t.Channel.UUID == ch.UUID && strings.SplitN(t.Locale, "-", 2)[0] == lang {
					tr = t
					break
				}
			}
		}
		if tr != nil {
			break
		}
	}
	if tr == nil {
		return false
	}
	values := make([]string, len(tr.Variables))
	for i := range tr.Variables {
		if i < len(varTpls) {
			v, _ := r.EvaluateText(varTpls[i])
			values[i] = v
		}
	}
	t := &event.Templating{Template: &flow.TemplateRef{UUID: tpl.UUID, Name: tpl.Name}}
	for i, v := range tr.Variables {
		t.Variables = append(t.Variables, &event.TemplateVariable{Type: v.Type, Value: values[i]})
	}
	var texts, atts []string
	var qrs []event.QuickReply
	for _, comp := range tr.Components {
		if len(comp.Variables) > 0 {
			t.Components = append(t.Components, &event.TemplateComponent{Name: comp.Name, Type: comp.Type, Variables: comp.Variables})
		}
		content := comp.Content
		for k, idx := range comp.Variables {
			if idx < len(values) {
				content = strings.ReplaceAll(content, "{{"+k+"}}", values[idx])
			}
		}
		switch {
		case comp.Type == "header/media":
			for _, idx := range comp.Variables {
				if idx < len(values) && validAttachment(values[idx]) && strings.Contains(values[idx], "/") {
					atts = append(atts, values[idx])
				}
			}
		case strings.HasPrefix(comp.Type, "button/"):
			if content != "" {
				qrs = append(qrs, event.QuickReply{Type: "text", Text: content})
			}
		default:
			if strings.TrimFunc(content, unicode.IsSpace) != "" {
				texts = append(texts, content)
			}
		}
	}
	msg.Text = strings.Join(texts, "\n\n")
	msg.Attachments = atts
	msg.QuickReplies = qrs
	msg.Templating = t
	msg.Locale = tr.Locale
	return true
}
