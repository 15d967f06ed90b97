package pre11

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/text/language"
)

// The 11.x steps. 11.6, 11.9, 11.11 and 11.12 only repair flows stored in a workspace (group,
// flow, label and channel references checked against its database) and do nothing on import.

func init() {
	register("11.0", migration{export: (*migrator).formatDates})
	register("11.1", migration{export: (*migrator).languageCodes})
	register("11.2", migration{export: (*migrator).baseLanguage})
	register("11.3", migration{flow: (*migrator).legacyWebhookFormat})
	register("11.4", migration{flow: (*migrator).nonWaitText})
	register("11.5", migration{flow: (*migrator).webhookResults})
	register("11.7", migration{flow: (*migrator).webhookActions})
	register("11.8", migration{flow: (*migrator).uniqueRuleUUIDs})
	register("11.10", migration{export: (*migrator).crossModality})
}

type replacement struct {
	re   *regexp.Regexp
	repl string
}

// formatDates (11.0): references to @date and to date or location results in messages are
// wrapped in format_date / format_location.
func (m *migrator) formatDates(export map[string]any) error {
	const tail = `([^0-9a-zA-Z\.]|\.[^0-9a-zA-Z\.]|$|\.$)`
	reps := []replacement{
		{regexp.MustCompile(`@date` + tail), "@(format_date(date))${1}"},
		{regexp.MustCompile(`@date\.now`), "@(format_date(date.now))"},
	}
	// RapidPro wraps the workspace's date and location fields; an export that lists its fields
	// with their types says which those are
	for _, field := range objects(export["fields"]) {
		fn := ""
		switch str(field["type"]) + str(field["value_type"]) {
		case "datetime", "D":
			fn = "format_date"
		case "state", "district", "ward", "S", "I", "W":
			fn = "format_location"
		default:
			continue
		}
		key := regexp.QuoteMeta(str(field["key"]))
		reps = append(reps, replacement{regexp.MustCompile(`@contact\.` + key + tail), "@(" + fn + "(contact." + key + "))${1}"})
	}
	for _, f := range objects(export["flows"]) {
		for _, rs := range objects(f["rule_sets"]) {
			rsType := ""
			for _, rule := range objects(rs["rules"]) {
				t := str(obj(rule["test"])["type"])
				switch {
				case t == "" || t == "true":
				case rsType == "":
					rsType = t
				case t != rsType:
					rsType = "none"
				}
			}
			if rs["label"] == nil {
				continue
			}
			key := regexp.QuoteMeta(labelSlug(str(rs["label"])))
			reps = append(reps, replacement{regexp.MustCompile(`@flow\.` + key + `\.time`), "@(format_date(flow." + key + ".time))"})
			fn := ""
			switch rsType {
			case "date", "date_before", "date_after", "date_equal":
				fn = "format_date"
			case "state", "district", "ward":
				fn = "format_location"
			default:
				continue
			}
			reps = append(reps, replacement{regexp.MustCompile(`@flow\.` + key + tail), "@(" + fn + "(flow." + key + "))${1}"})
		}
		for _, a := range actions(f) {
			switch str(a["type"]) {
			case "reply", "send", "say":
			default:
				continue
			}
			msg := obj(a["msg"])
			for lang, text := range msg {
				// some single message flows ended up with maps inside the map
				if inner := obj(text); inner != nil {
					for _, v := range inner {
						text = v
						break
					}
				}
				if s, ok := text.(string); ok {
					for _, r := range reps {
						s = r.re.ReplaceAllString(s, r.repl)
					}
					text = s
				}
				msg[lang] = text
			}
		}
	}
	return nil
}

// iso6393 gives the ISO 639-3 code for an ISO 639-1/2 code, with RapidPro's overrides for
// codes of language families. Unknown codes are an error, as on import.
func iso6393(code string) (string, error) {
	code = strings.ToLower(strings.TrimSpace(code))
	if code == "" {
		return "", fmt.Errorf("iso_code must not be empty")
	}
	overrides := map[string]string{"mkh": "khm", "cpe": "pcm", "art": "epo", "cpf": "gcr", "phi": "fil", "smi": "smj",
		"afa": "ara", "aus": "rop", "cpp": "kea", "him": "xnr", "kar": "blk", "esp": "spa"}
	if o, ok := overrides[code]; ok {
		return o, nil
	}
	// ISO 639-2 bibliographic codes name the language by its English name; 639-3 uses the
	// terminology code (French: fre → fra)
	if t, ok := bibliographic[code]; ok {
		return t, nil
	}
	if b, err := language.ParseBase(code); err == nil {
		if iso3 := b.ISO3(); len(iso3) == 3 {
			return iso3, nil
		}
	}
	return "", fmt.Errorf("unable to determine iso639-3 code: %s", code)
}

// bibliographic maps the ISO 639-2/B codes that differ from their 639-2/T (and 639-3) codes.
var bibliographic = map[string]string{
	"alb": "sqi", "arm": "hye", "baq": "eus", "bur": "mya", "chi": "zho", "cze": "ces", "dut": "nld",
	"fre": "fra", "geo": "kat", "ger": "deu", "gre": "ell", "ice": "isl", "mac": "mkd", "mao": "mri",
	"may": "msa", "per": "fas", "rum": "ron", "slo": "slk", "tib": "bod", "wel": "cym",
}

// languageCodes (11.1): translations keyed by ISO 639-2 codes get 639-3 keys, as do "lang"
// values. A map whose keys are all three letters (or "base") is a translation map.
func (m *migrator) languageCodes(export map[string]any) error {
	var err error
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			isLang := true
			for k := range x {
				isLang = isLang && (len(k) == 3 || k == "base")
			}
			switch {
			case isLang:
				out := make(map[string]any, len(x))
				for k, e := range x {
					if k != "base" {
						if k, err = iso6393(k); err != nil {
							return x
						}
					}
					out[k] = e
				}
				return out
			case x["lang"] != nil && x["lang"] != "base":
				if code, e := iso6393(str(x["lang"])); e != nil {
					err = e
				} else {
					x["lang"] = code
				}
				return x
			default:
				for k, e := range x {
					x[k] = walk(e)
				}
			}
		case []any:
			for i := range x {
				x[i] = walk(x[i])
			}
		}
		return v
	}
	flows := list(export["flows"])
	for i := range flows {
		flows[i] = walk(flows[i])
	}
	return err
}

// baseLanguage (11.2): the base language code also becomes ISO 639-3.
func (m *migrator) baseLanguage(export map[string]any) error {
	for _, f := range objects(export["flows"]) {
		if b, ok := f["base_language"]; ok && b != "base" {
			code, err := iso6393(str(b))
			if err != nil {
				return err
			}
			f["base_language"] = code
		}
	}
	return nil
}

// legacyWebhookFormat (11.3): POST webhooks of the time sent the legacy payload; mark them so
// the conversion keeps sending it.
func (m *migrator) legacyWebhookFormat(f map[string]any) (map[string]any, error) {
	for _, a := range actions(f) {
		if str(a["type"]) == "api" && (a["action"] == nil || a["action"] == "POST") {
			a["action"], a["legacy_format"] = "POST", true
		}
	}
	for _, rs := range objects(f["rule_sets"]) {
		if str(rs["ruleset_type"]) == "webhook" {
			cfg := obj(rs["config"])
			if cfg != nil && (cfg["webhook_action"] == nil || cfg["webhook_action"] == "POST") {
				cfg["legacy_format"] = true
			}
		}
	}
	return f, nil
}

// messageTexts applies fn to every text of reply, send, say and email actions.
func messageTexts(f map[string]any, fn func(string) string) {
	for _, a := range actions(f) {
		switch str(a["type"]) {
		case "reply", "send", "say", "email":
		default:
			continue
		}
		if s, ok := a["msg"].(string); ok {
			a["msg"] = fn(s)
		} else if msg := obj(a["msg"]); msg != nil {
			for lang, t := range msg {
				s, _ := t.(string)
				msg[lang] = fn(s)
			}
		}
	}
}

// slugAlternation is a regexp alternation of result keys.
func slugAlternation(slugs map[string]bool) string {
	var parts []string
	for s := range slugs {
		parts = append(parts, regexp.QuoteMeta(s))
	}
	return strings.Join(parts, "|")
}

// nonWaitText (11.4): @flow.X.text of a rule set that doesn't wait is its operand, @step.value.
func (m *migrator) nonWaitText(f map[string]any) (map[string]any, error) {
	slugs := map[string]bool{}
	for _, rs := range objects(f["rule_sets"]) {
		if !strings.HasPrefix(str(rs["ruleset_type"]), "wait_") {
			slugs[labelSlug(str(rs["label"]))] = true
		}
	}
	re := regexp.MustCompile(`(?i)flow\.(` + slugAlternation(slugs) + `)\.text`)
	messageTexts(f, func(s string) string { return re.ReplaceAllString(s, "step.value") })
	return f, nil
}

// webhookResults (11.5): @flow.X(.value) of a webhook or resthook rule set is @extra.X, unless
// a rule set of another type has the same key.
func (m *migrator) webhookResults(f map[string]any) (map[string]any, error) {
	hooks, others := map[string]bool{}, map[string]bool{}
	for _, rs := range objects(f["rule_sets"]) {
		slug := labelSlug(str(rs["label"]))
		if slug == "" {
			continue
		}
		if t := str(rs["ruleset_type"]); t == "webhook" || t == "resthook" {
			hooks[slug] = true
		} else {
			others[slug] = true
		}
	}
	for s := range others {
		delete(hooks, s)
	}
	if len(hooks) == 0 {
		return f, nil
	}
	re := regexp.MustCompile(`(?i)flow\.(` + slugAlternation(hooks) + `)(\.value)?`)
	replace := func(s string) string {
		var b strings.Builder
		last := 0
		for _, loc := range re.FindAllStringSubmatchIndex(s, -1) {
			end := loc[1]
			// not followed by another .name: @flow.hook.category stays (RE2 has no lookahead)
			if end+1 < len(s) && s[end] == '.' && isWordByte(s[end+1]) {
				continue
			}
			b.WriteString(s[last:loc[0]])
			b.WriteString("extra." + s[loc[2]:loc[3]])
			last = end
		}
		b.WriteString(s[last:])
		return b.String()
	}
	replaceTemplates(f, replace)
	return f, nil
}

// replaceTemplates applies fn to every template of a legacy flow: messages, saved values,
// webhook URLs, operands and localized test arguments.
func replaceTemplates(f map[string]any, fn func(string) string) {
	messageTexts(f, fn)
	for _, a := range actions(f) {
		switch str(a["type"]) {
		case "save":
			a["value"] = fn(str(a["value"]))
		case "api":
			a["webhook"] = fn(str(a["webhook"]))
		}
	}
	for _, rs := range objects(f["rule_sets"]) {
		if op, ok := rs["operand"].(string); ok {
			rs["operand"] = fn(op)
			if rs["operand"] != op && str(rs["ruleset_type"]) == "flow_field" {
				rs["ruleset_type"] = "expression"
			}
			for _, rule := range objects(rs["rules"]) {
				if tests := obj(obj(rule["test"])["test"]); tests != nil {
					for lang, t := range tests {
						tests[lang] = fn(str(t))
					}
				}
			}
		}
		if cfg := obj(rs["config"]); cfg != nil {
			if w, ok := cfg["webhook"]; ok {
				cfg["webhook"] = fn(str(w))
			}
		}
	}
}

// uniqueRuleUUIDs (11.8): rules with a missing or repeated UUID get a new one.
func (m *migrator) uniqueRuleUUIDs(f map[string]any) (map[string]any, error) {
	seen := map[string]bool{}
	for _, rs := range objects(f["rule_sets"]) {
		for _, rule := range objects(rs["rules"]) {
			if u := str(rule["uuid"]); u == "" || seen[u] {
				rule["uuid"] = m.newUUID()
			}
			seen[str(rule["uuid"])] = true
		}
	}
	return f, nil
}
