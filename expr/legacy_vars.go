package expr

import "strings"

// legacyRoots are the top-level names of the legacy context; an identifier starting with
// anything else is literal text in a legacy template.
var legacyRoots = map[string]bool{
	"contact": true, "child": true, "parent": true, "date": true, "extra": true, "flow": true, "step": true, "channel": true,
}

// urnSchemes are the URN schemes a legacy @contact.<scheme> can name.
var urnSchemes = map[string]bool{
	"tel": true, "facebook": true, "twitter": true, "twitterid": true, "viber": true, "line": true,
	"telegram": true, "mailto": true, "ext": true, "jiochat": true, "wechat": true, "fcm": true,
	"whatsapp": true, "freshchat": true, "vk": true, "discord": true, "rocketchat": true,
	"instagram": true, "slack": true, "webchat": true, "external": true,
}

// path joins a base with extra segments as a lookup path.
func path(base string, rest []string) lout {
	if len(rest) == 0 {
		return atom(base, lUnknown)
	}
	return atom(base+"."+strings.Join(rest, "."), lUnknown)
}

// variable maps a legacy context path to current syntax (the @flow → @results, @step →
// @input, @extra → @legacy_extra, @contact.<field> → @fields.<field> renames).
func (m *legacyMigrator) variable(p []string) lout {
	root, rest := p[0], p[1:]
	switch root {
	case "contact":
		return m.contactVar("", rest)
	case "flow":
		return m.resultsVar("results", rest)
	case "child", "parent":
		if len(rest) > 0 && rest[0] == "contact" {
			return m.contactVar(root+".", rest[1:])
		}
		if len(rest) == 0 {
			return atom(root, lUnknown)
		}
		return m.resultsVar(root+".results", rest)
	case "step":
		if len(rest) == 0 {
			return atom("input", lUnknown)
		}
		switch rest[0] {
		case "value":
			return path("input", rest[1:])
		case "text":
			return path("input.text", rest[1:])
		case "attachments":
			return path("input.attachments", rest[1:])
		case "time":
			return atom("input.created_on", lDate)
		case "contact":
			return m.contactVar("", rest[1:])
		}
		return path("input", rest)
	case "extra":
		return path("legacy_extra", rest)
	case "channel":
		if len(rest) > 0 && (rest[0] == "tel" || rest[0] == "tel_e164") {
			return atom("contact.channel.address", lUnknown)
		}
		return path("contact.channel", rest)
	case "date":
		return m.dateVar(rest)
	}
	return path(root, rest)
}

func (m *legacyMigrator) contactVar(prefix string, rest []string) lout {
	if len(rest) == 0 {
		return atom(prefix+"contact", lUnknown)
	}
	key := rest[0]
	switch key {
	case "name", "first_name", "uuid", "language", "created_on", "channel", "urn", "id":
		return path(prefix+"contact."+key, rest[1:])
	case "groups":
		return callOf("join", lText, prefix+"contact.groups", `","`)
	case "tel_e164":
		return callOf("default", lText, "urn_parts(urns.tel).path", `""`)
	}
	if urnSchemes[key] {
		if key == "tel" {
			return callOf("default", lText, "format_urn(urns.tel)", `""`)
		}
		return callOf("default", lText, "urn_parts(urns."+key+").path", `""`)
	}
	fields := "fields"
	if prefix != "" {
		fields = prefix + "fields"
	}
	return path(fields+"."+key, rest[1:])
}

func (m *legacyMigrator) resultsVar(base string, rest []string) lout {
	if len(rest) == 0 {
		return atom(base, lUnknown)
	}
	if rest[0] == "contact" && base == "results" {
		return m.contactVar("", rest[1:])
	}
	key := base + "." + rest[0]
	if len(rest) == 1 {
		return atom(key, lUnknown)
	}
	switch rest[1] {
	case "text":
		return path(key+".input", rest[2:])
	case "time":
		return atom(key+".created_on", lDate)
	}
	return path(key, rest[1:])
}

func (m *legacyMigrator) dateVar(rest []string) lout {
	if len(rest) == 0 {
		return callOf("now", lDate)
	}
	var o lout
	switch rest[0] {
	case "now":
		return callOf("now", lDate)
	case "today":
		o = callOf("today", lDate)
	case "yesterday":
		o = callOf("datetime_add", lDate, "now()", "-1", `"D"`)
	case "tomorrow":
		o = callOf("datetime_add", lDate, "now()", "1", `"D"`)
	default:
		return path("date", rest)
	}
	if m.opts.RawDates {
		return o
	}
	return callOf("format_date", lText, o.code)
}
