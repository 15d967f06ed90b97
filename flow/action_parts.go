package flow

import (
	"strings"
	"unicode"
)

// MsgContent is the message content shared by send_msg and send_broadcast. Text, Attachments
// and QuickReplies are localizable templates; TemplateVariables are templates filled into the
// message template's placeholders.
type MsgContent struct {
	Text              string       `json:"text"`
	Attachments       []string     `json:"attachments,omitempty"`
	QuickReplies      []string     `json:"quick_replies,omitempty"`
	Template          *TemplateRef `json:"template,omitempty"`
	TemplateVariables []string     `json:"template_variables,omitempty"`
}

func (m *MsgContent) checkContent(c *checker) {
	c.reqLen("text", m.Text, 10000)
	c.maxItems("attachments", len(m.Attachments), 10)
	for i, a := range m.Attachments {
		if !validAttachment(a) {
			c.fail(idx("attachments", i), "is not a valid attachment")
		} else {
			c.maxLen(idx("attachments", i), a, 8192)
		}
	}
	c.maxItems("quick_replies", len(m.QuickReplies), 10)
	c.maxEach("quick_replies", m.QuickReplies, 1000)
	if m.Template != nil {
		c.uuid("template.uuid", m.Template.UUID, true)
		c.maxLen("template.name", m.Template.Name, 512)
	}
	c.maxItems("template_variables", len(m.TemplateVariables), 100)
	c.maxEach("template_variables", m.TemplateVariables, 10000)
}

// validAttachment accepts "content-type:url" where the content type is a MIME type or one of
// the bare words image, audio, video, application, geo, unavailable, and the url is non-empty.
func validAttachment(s string) bool {
	i := strings.Index(s, ":")
	if i < 0 || i == len(s)-1 {
		return false
	}
	return validContentType(strings.ToLower(s[:i]))
}

func validContentType(t string) bool {
	switch t {
	case "image", "audio", "video", "application", "geo", "unavailable":
		return true
	}
	slash := strings.IndexByte(t, '/')
	if slash <= 0 || slash == len(t)-1 {
		return false
	}
	for i, r := range t {
		word := r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case i < slash && !word:
			return false
		case i > slash && !word && r != '-' && r != '+' && r != '.':
			return false
		}
	}
	return true
}

// Recipients are the other contacts that send_broadcast and start_session address.
type Recipients struct {
	Groups       []*GroupRef   `json:"groups,omitempty"`
	Contacts     []*ContactRef `json:"contacts,omitempty"`
	ContactQuery string        `json:"contact_query,omitempty"`
	URNs         []string      `json:"urns,omitempty"`
	LegacyVars   []string      `json:"legacy_vars,omitempty"`
}

func (r *Recipients) checkRecipients(c *checker) {
	c.maxItems("groups", len(r.Groups), 100)
	checkGroups(c, "groups", r.Groups)
	c.maxItems("contacts", len(r.Contacts), 100)
	for i, ct := range r.Contacts {
		if ct == nil {
			c.fail(idx("contacts", i), "is required")
			continue
		}
		c.uuid(idx("contacts", i)+".uuid", ct.UUID, true)
		c.maxLen(idx("contacts", i)+".name", ct.Name, 128)
	}
	c.maxLen("contact_query", r.ContactQuery, 10000)
	c.maxItems("urns", len(r.URNs), 100)
	c.maxItems("legacy_vars", len(r.LegacyVars), 100)
	c.maxEach("legacy_vars", r.LegacyVars, 1000)
}

func checkGroups(c *checker, field string, groups []*GroupRef) {
	for i, g := range groups {
		f := idx(field, i)
		if g == nil {
			c.fail(f, "is required")
			continue
		}
		c.uuid(f+".uuid", g.UUID, false)
		c.maxLen(f+".name", g.Name, 64)
		c.maxLen(f+".name_match", g.NameMatch, 1000)
	}
}

func checkLabels(c *checker, field string, labels []*LabelRef) {
	for i, l := range labels {
		f := idx(field, i)
		if l == nil {
			c.fail(f, "is required")
			continue
		}
		c.uuid(f+".uuid", l.UUID, false)
		c.maxLen(f+".name", l.Name, 64)
		c.maxLen(f+".name_match", l.NameMatch, 1000)
	}
}

// checkRef checks a fixed {uuid, name} reference that must be present.
func checkRef(c *checker, field string, present bool, uuid, name string, maxName int) {
	if !present {
		c.fail(field, "is required")
		return
	}
	c.uuid(field+".uuid", uuid, true)
	c.maxLen(field+".name", name, maxName)
}

// checkResultName checks an optional or required result name (1..64 characters).
func checkResultName(c *checker, field, name string, required bool) {
	if name == "" {
		if required {
			c.fail(field, "is required")
		}
		return
	}
	if len([]rune(name)) > 64 {
		c.fail(field, "is not a valid result name")
	}
}

// validLocalName reports whether s matches ^[a-z_][a-z0-9_]{0,63}$.
func validLocalName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '_' || ch >= 'a' && ch <= 'z':
		case ch >= '0' && ch <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
