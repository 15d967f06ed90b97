package legacy

import (
	"encoding/json"
	"fmt"
	"strings"
)

// action converts one legacy action into its current equivalent.
func (c *converter) action(a action) (map[string]any, error) {
	base := func(typ string) map[string]any { return map[string]any{"uuid": a.UUID, "type": typ} }
	switch a.Type {
	case "add_label":
		labels := []any{}
		for _, l := range a.Labels {
			labels = append(labels, c.groupRef(l))
		}
		m := base("add_input_labels")
		m["labels"] = labels
		return m, nil

	case "email":
		var msg string
		if len(a.Msg) > 0 {
			if err := json.Unmarshal(a.Msg, &msg); err != nil {
				return nil, err
			}
		}
		addrs := []any{}
		for _, e := range a.Emails {
			addrs = append(addrs, c.tpl(e))
		}
		m := base("send_email")
		m["addresses"], m["subject"], m["body"] = addrs, c.tpl(a.Subject), c.tpl(msg)
		return m, nil

	case "lang":
		m := base("set_contact_language")
		m["language"] = a.Language
		return m, nil

	case "channel":
		m := base("set_contact_channel")
		m["channel"] = map[string]any{"uuid": a.Channel, "name": a.Name}
		return m, nil

	case "flow":
		m := base("enter_flow")
		m["flow"] = map[string]any{"uuid": a.Flow.UUID, "name": a.Flow.Name}
		m["terminal"] = true
		return m, nil

	case "trigger-flow":
		m := base("start_session")
		m["flow"] = map[string]any{"uuid": a.Flow.UUID, "name": a.Flow.Name}
		c.recipients(m, a)
		var vars []any
		for _, v := range a.Variables {
			if v.ID == "@new_contact" {
				m["create_contact"] = true
			} else {
				vars = append(vars, c.tpl(v.ID))
			}
		}
		if len(vars) > 0 {
			m["legacy_vars"] = vars
		}
		return m, nil

	case "reply", "send":
		return c.sendAction(a, base)

	case "add_group":
		m := base("add_contact_groups")
		m["groups"] = c.groupRefs(a.Groups)
		return m, nil

	case "del_group":
		m := base("remove_contact_groups")
		if len(a.Groups) > 0 {
			m["groups"] = c.groupRefs(a.Groups)
		} else {
			m["all_groups"] = true
		}
		return m, nil

	case "save":
		return c.saveAction(a, base), nil

	case "say":
		msg, err := readTranslations(a.Msg)
		if err != nil {
			return nil, err
		}
		rec, err := readTranslations(a.Recording)
		if err != nil {
			return nil, err
		}
		for lang, u := range rec {
			if u != "" {
				rec[lang] = urlJoin(c.cfg.BaseMediaURL, u)
			}
		}
		m := base("say_msg")
		m["text"] = c.addMap(msg, a.UUID, "text")
		if audio := c.addMap(rec, a.UUID, "audio_url"); audio != "" {
			m["audio_url"] = audio
		}
		return m, nil

	case "play":
		m := base("play_audio")
		m["audio_url"] = c.tpl(a.URL) // already absolute in legacy flows
		return m, nil
	}
	return nil, fmt.Errorf("unable to migrate legacy action type: %s", a.Type)
}

// sendAction converts reply (to the contact) and send (to others) actions.
func (c *converter) sendAction(a action, base func(string) map[string]any) (map[string]any, error) {
	msg, err := readTranslations(a.Msg)
	if err != nil {
		return nil, err
	}
	media := translations{}
	if len(a.Media) > 0 && string(a.Media) != "null" {
		if err := json.Unmarshal(a.Media, &media); err != nil {
			return nil, err
		}
	}
	var quickReplies map[string][]string
	if len(a.QuickReplies) > 0 && string(a.QuickReplies) != "null" {
		var items []translations
		if err := json.Unmarshal(a.QuickReplies, &items); err != nil {
			return nil, err
		}
		quickReplies = byLanguage(items)
	}
	for lang, att := range media {
		typ, url := "image", att // no media type means an image
		if i := strings.Index(att, ":"); i >= 0 {
			typ, url = att[:i], att[i+1:]
		}
		if !strings.Contains(url, "@") { // an upload, not an expression: make it absolute
			media[lang] = typ + ":" + urlJoin(c.cfg.BaseMediaURL, url)
		}
	}

	text := c.addMap(msg, a.UUID, "text")
	attachment := c.addMap(media, a.UUID, "attachments")
	qrs := c.addMultiMap(quickReplies, a.UUID, "quick_replies")

	typ := "send_msg"
	if a.Type == "send" {
		typ = "send_broadcast"
	}
	m := base(typ)
	m["text"] = text
	if attachment != "" {
		m["attachments"] = []any{attachment}
	}
	if len(qrs) > 0 {
		m["quick_replies"] = qrs
	}
	if a.Type == "reply" {
		if a.SendAll {
			m["all_urns"] = true
		}
		return m, nil
	}
	c.recipients(m, a)
	var vars []any
	for _, v := range a.Variables {
		vars = append(vars, c.tpl(v.ID))
	}
	if len(vars) > 0 {
		m["legacy_vars"] = vars
	}
	return m, nil
}

// recipients copies contacts and groups of send and trigger-flow actions.
func (c *converter) recipients(m map[string]any, a action) {
	if len(a.Contacts) > 0 {
		cs := []any{}
		for _, ct := range a.Contacts {
			cs = append(cs, map[string]any{"uuid": ct.UUID, "name": ct.Name})
		}
		m["contacts"] = cs
	}
	if len(a.Groups) > 0 {
		m["groups"] = c.groupRefs(a.Groups)
	}
}

// saveAction converts "save" which wrote a contact field, the name or a URN.
func (c *converter) saveAction(a action, base func(string) map[string]any) map[string]any {
	value := c.tpl(a.Value)
	switch {
	case a.Field == "name" || a.Field == "first_name":
		if a.Field == "first_name" {
			// setting only the first name is emulated by keeping the rest of the name
			value = strings.TrimSpace(value) + " @(word_slice(contact.name, 1, -1))"
		}
		m := base("set_contact_name")
		m["name"] = value
		return m
	case urnSchemes[a.Field] || a.Field == "tel_e164":
		scheme := a.Field
		if scheme == "tel_e164" {
			scheme = "tel"
		}
		m := base("add_contact_urn")
		m["scheme"], m["path"] = scheme, value
		return m
	}
	m := base("set_contact_field")
	m["field"] = map[string]any{"key": a.Field, "name": a.Label}
	m["value"] = value
	return m
}

func (c *converter) groupRefs(groups []groupRef) []any {
	out := []any{}
	for _, g := range groups {
		out = append(out, c.groupRef(g))
	}
	return out
}

// groupRef converts a group or label: with a UUID it is fixed, else matched by name (an
// expression when it starts with @).
func (c *converter) groupRef(g groupRef) map[string]any {
	if g.UUID != "" {
		return map[string]any{"uuid": g.UUID, "name": g.Name}
	}
	name := g.Name
	if strings.HasPrefix(name, "@") {
		name = c.tpl(name)
	}
	return map[string]any{"name_match": name}
}

// urnSchemes are the URN schemes a legacy "save" may target to add a URN.
var urnSchemes = map[string]bool{
	"bsuid": true, "ext": true, "facebook": true, "fcm": true, "freshchat": true, "instagram": true,
	"jiochat": true, "line": true, "mailto": true, "rocketchat": true, "slack": true, "tel": true,
	"telegram": true, "twitter": true, "twitterid": true, "viber": true, "vk": true, "webchat": true,
	"wechat": true, "whatsapp": true,
}
