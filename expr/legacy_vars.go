package expr

import (
	"regexp"
	"strings"
)

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
	"instagram": true, "slack": true, "webchat": true, "external": true, "teams": true,
}

var contactProperties = map[string]bool{"uuid": true, "id": true, "name": true, "first_name": true, "created_on": true, "language": true}

// resultProperties maps the legacy properties of a flow result to current ones.
var resultProperties = map[string]string{"value": "value", "category": "category_localized", "text": "input", "time": "created_on"}

var (
	wordSegment   = regexp.MustCompile(`^\w+$`)
	numericLookup = regexp.MustCompile(`\.\d+\w*`)
)

// variable maps a legacy context path (e.g. flow.color.category) to current syntax (e.g.
// results.color.category_localized). Paths it doesn't know are kept as written, lower-cased.
func (m *legacyMigrator) variable(path string) lout {
	path = strings.ToLower(path)
	mapped, isDate, ok := mapLegacyPath(strings.Split(path, "."))
	if !ok {
		return atom(path)
	}
	if isDate && !m.opts.RawDates {
		mapped = "format_date(" + mapped + ")"
	}
	// numeric property names can't follow a dot: .1 becomes ["1"]
	mapped = numericLookup.ReplaceAllStringFunc(mapped, func(s string) string { return `["` + s[1:] + `"]` })
	return atom(mapped)
}

func allWords(segs []string) bool {
	for _, s := range segs {
		if !wordSegment.MatchString(s) {
			return false
		}
	}
	return true
}

// mapLegacyPath returns the current form of a legacy path and whether it is a date that
// templates format.
func mapLegacyPath(p []string) (string, bool, bool) {
	if !allWords(p) {
		return "", false, false
	}
	switch p[0] {
	case "flow", "step":
		if len(p) > 1 && p[1] == "contact" {
			return mapContact("", p[2:])
		}
		if len(p) > 2 && (p[1] == "parent" || p[1] == "child") && p[2] == "contact" {
			return mapContact(p[1]+".", p[3:])
		}
		if p[0] == "flow" {
			return mapResults("results", p[1:])
		}
		return mapStep(p[1:])
	case "contact":
		return mapContact("", p[1:])
	case "child", "parent":
		if len(p) > 1 && p[1] == "contact" {
			return mapContact(p[0]+".", p[2:])
		}
		return mapResults(p[0]+".results", p[1:])
	case "extra":
		if len(p) > 1 && p[1] == "flow" {
			return mapResults("parent.results", p[2:])
		}
		return strings.Join(append([]string{"legacy_extra"}, p[1:]...), "."), false, true
	case "channel":
		switch {
		case len(p) == 1:
			return "contact.channel.address", false, true
		case len(p) == 2 && (p[1] == "address" || p[1] == "tel" || p[1] == "tel_e164"):
			return "contact.channel.address", false, true
		case len(p) == 2 && p[1] == "name":
			return "contact.channel.name", false, true
		}
	case "date":
		if len(p) == 1 {
			return "now()", false, true
		}
		if len(p) == 2 {
			switch p[1] {
			case "now":
				return "now()", false, true
			case "today":
				return "today()", true, true
			case "tomorrow":
				return `datetime_add(now(), 1, "D")`, true, true
			case "yesterday":
				return `datetime_add(now(), -1, "D")`, true, true
			}
		}
	}
	return "", false, false
}

// mapContact maps the part of a path after "contact"; prefix is "" or "parent."/"child.".
func mapContact(prefix string, rest []string) (string, bool, bool) {
	switch len(rest) {
	case 0:
		return prefix + "contact", false, true
	case 1:
		key := rest[0]
		switch {
		case contactProperties[key]:
			return prefix + "contact." + key, false, true
		case key == "groups":
			return "join(" + prefix + `contact.groups, ",")`, false, true
		case key == "tel_e164":
			return "default(urn_parts(" + prefix + `urns.tel).path, "")`, false, true
		case key == "tel":
			return "format_urn(" + prefix + "urns.tel)", false, true
		case urnSchemes[key]:
			return "default(urn_parts(" + prefix + "urns." + key + `).path, "")`, false, true
		}
		return prefix + "fields." + key, false, true
	case 2:
		if scheme := rest[0]; urnSchemes[scheme] {
			urn := prefix + "urns." + scheme
			switch rest[1] {
			case "display":
				return "format_urn(" + urn + ")", false, true
			case "path", "scheme":
				return "urn_parts(" + urn + ")." + rest[1], false, true
			case "urn":
				return urn, false, true
			}
		}
	}
	return "", false, false
}

// mapResults maps the part of a path after flow/child/parent to a run's results.
func mapResults(base string, rest []string) (string, bool, bool) {
	switch len(rest) {
	case 0:
		return base, false, true
	case 1:
		return base + "." + rest[0], false, true
	case 2:
		if prop, ok := resultProperties[rest[1]]; ok {
			return base + "." + rest[0] + "." + prop, false, true
		}
	}
	return "", false, false
}

// mapStep maps the part of a path after step to the input.
func mapStep(rest []string) (string, bool, bool) {
	switch {
	case len(rest) == 0 || (len(rest) == 1 && rest[0] == "value"):
		return "input", false, true
	case len(rest) == 1 && rest[0] == "text":
		return "input.text", false, true
	case len(rest) == 1 && rest[0] == "time":
		return "input.created_on", false, true
	case len(rest) == 1 && rest[0] == "attachments":
		return `foreach(foreach(input.attachments, attachment_parts), extract, "url")`, false, true
	case len(rest) == 2 && rest[0] == "attachments" && isAllDigits(rest[1]):
		return "attachment_parts(input.attachments[" + rest[1] + "]).url", false, true
	}
	return "", false, false
}

func isAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}
