package cht

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// SMS-style messages (§2.3) come in four shapes, as in CHT's smsparser: muvuku
// ("1!CODE!v1#v2#…", values by field position), JavaRosa ("J1!CODE!pid#123#name#Jo", tiny
// label and value pairs), TextForms ("CODE pid 123 #name Jo", values after each field's tiny
// label) and compact TextForms ("CODE 123 Jo", values by position). Bikram Sambat date
// fields (bsDate, bsAggreDate, ...) are not converted: their raw text is kept.

var (
	muvukuHeader   = regexp.MustCompile(`^\s*([A-Za-z]?\d)!.+!.+`)
	textformsCode  = regexp.MustCompile(`^\s*([^\s!\-,:#]+)[\s!\-,:#]*`)
	tfBoundary     = regexp.MustCompile(`\s*#\s*`)
	tfField        = regexp.MustCompile(`\s*([A-Za-z_.*]+)[\s!-]*(\d{4}[-/]\d{1,2}[-/]\d{1,2})?[\s!-]*([1-9][0-9]*(?:\.(?:\d+)?)?)?[\s!-]*(.+?)?\s*$`)
	tfNumericOnly  = regexp.MustCompile(`^\s*[1-9][0-9]*(?:\.(?:\d+)?)?\s*$`)
	compactTokens  = regexp.MustCompile(`"[^"]+"|[^"\s]+`)
	compactGreedy  = regexp.MustCompile(`".+"|[^"\s]+`)
	zeroWidthChars = regexp.MustCompile("[\u200B-\u200D\uFEFF]")
)

// formCode finds the form code of a message: the second "!"-separated part of a muvuku
// message, else the first token; upper-cased.
func formCode(msg string) (string, bool) {
	if parts := strings.Split(msg, "!"); len(parts) >= 3 {
		return strings.ToUpper(parts[1]), true
	}
	if m := textformsCode.FindStringSubmatch(msg); m != nil {
		return strings.ToUpper(m[1]), true
	}
	return "", false
}

// parseSMS returns the form data of message for def, typed by each field's type.
func parseSMS(def *Form, message, locale string, settings map[string]any, loc *time.Location) *object {
	formData := newObject()
	if message == "" {
		return formData
	}
	var msgData *object
	addOmitted := false
	if m := muvukuHeader.FindStringSubmatch(message); m != nil {
		switch strings.ToUpper(m[1]) {
		case "1":
			msgData = parseMuvuku(def, message)
		case "J1":
			msgData = parseJavaRosa(def, message)
		default:
			return formData
		}
		addOmitted = true
	} else {
		msg := stripFormCode(def, message)
		if isCompact(def, msg, locale) {
			msgData = parseCompact(def, msg)
		} else {
			msgData = parseTextforms(msg)
			for _, f := range def.Fields {
				label := strings.ToLower(translateLabel(f.Tiny, locale))
				if v, ok := msgData.get(label); ok && f.Key != label && truthy(v) {
					msgData.set(f.Key, v)
					msgData.del(label)
				}
			}
		}
	}
	for _, f := range def.Fields {
		raw, present := msgData.get(f.Key)
		if !truthy(raw) && !addOmitted {
			continue
		}
		v, defined := parseSMSField(f, raw, present, settings, loc)
		setDeep(formData, strings.Split(f.Key, "."), v, defined)
	}
	if extra, _ := msgData.get("_extra_fields"); extra == true {
		formData.set("_extra_fields", true)
	}
	return formData
}

func stripFormCode(def *Form, msg string) string {
	if def.MetaCode == "" {
		return msg
	}
	re := regexp.MustCompile(`(?i)^\s*` + regexp.QuoteMeta(def.MetaCode) + `[\s!\-,:#]*`)
	return re.ReplaceAllString(msg, "")
}

func parseMuvuku(def *Form, message string) *object {
	parts := strings.Split(message, "#")
	header := strings.Split(parts[0], "!")
	first := ""
	if len(header) > 2 {
		first = strings.Join(header[2:], "!")
	}
	vals := append([]string{first}, parts[1:]...)
	out := newObject()
	for i, v := range vals {
		if i >= len(def.Fields) {
			out.set("_extra_fields", true)
			continue
		}
		out.set(def.Fields[i].Key, strings.TrimSpace(v))
	}
	return out
}

// parseJavaRosa reads "J1!CODE!label#value#label#value…": each declared field whose tiny
// label matches a label (case-insensitively) takes the value; "\#" escapes a '#'.
func parseJavaRosa(def *Form, message string) *object {
	parts := strings.Split(message, "!")
	data := ""
	if len(parts) > 2 {
		data = strings.Join(parts[2:], "!")
	}
	var fields []string
	start, lastEnd := 0, 0
	for j := 1; j < len(data); j++ {
		// CHT splits with /([^\\])#/g: a '#' not after a backslash, the two characters of
		// one split not shared with the next.
		if data[j] == '#' && data[j-1] != '\\' && j-1 >= lastEnd {
			fields = append(fields, data[start:j])
			start, lastEnd = j+1, j+1
		}
	}
	fields = append(fields, data[start:])
	out := newObject()
	for _, f := range def.Fields {
		label := translateLabel(f.Tiny, "en")
		if label == "" {
			continue
		}
		re := regexp.MustCompile(`(?i)^` + regexp.QuoteMeta(label) + `$`)
		for i := 0; i+1 < len(fields); i += 2 {
			if re.MatchString(strings.TrimSpace(fields[i])) {
				out.set(f.Key, strings.ReplaceAll(fields[i+1], `\#`, "#"))
			}
		}
	}
	return out
}

func isCompact(def *Form, msg, locale string) bool {
	if msg == "" || len(tfBoundary.Split(msg, -1)) != 1 {
		return false
	}
	for _, f := range def.Fields {
		for _, l := range []any{f.Tiny, f.Short} {
			label := translateLabel(l, locale)
			if label == "" {
				continue
			}
			if strings.EqualFold(msg, label) || regexp.MustCompile(`(?i)^`+regexp.QuoteMeta(label)+`[\s0-9]`).MatchString(msg) {
				return false
			}
		}
	}
	return true
}

func parseCompact(def *Form, msg string) *object {
	out := newObject()
	values := compactTokens.FindAllString(msg, -1)
	if len(values) > len(def.Fields) {
		values = compactGreedy.FindAllString(msg, -1)
	}
	for i, f := range def.Fields {
		if len(values) == 0 {
			break
		}
		var v string
		if i == len(def.Fields)-1 && f.Type == "string" {
			v = strings.Join(values, " ")
		} else {
			v, values = values[0], values[1:]
		}
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		if _, ok := out.get(f.Key); !ok {
			out.set(f.Key, v)
		}
	}
	return out
}

func parseTextforms(msg string) *object {
	out := newObject()
	for _, part := range tfBoundary.Split(msg, -1) {
		m := tfField.FindStringSubmatch(part)
		if m == nil {
			continue
		}
		key, date, numeric, other := m[1], m[2], m[3], m[4]
		if strings.TrimSpace(other) == "" {
			other = ""
		}
		var v any
		switch {
		case other != "" && numeric != "":
			v = fmt.Sprint(tfTyped(numeric)) + fmt.Sprint(tfTyped(other))
		case other != "" && tfType(other) != "string":
			v = tfTyped(other)
		case numeric != "":
			v = tfTyped(numeric)
		case date != "":
			if ms, ok := parseDateMS(strings.ReplaceAll(date, "/", "-"), time.UTC); ok {
				v = json.Number(strconv.FormatInt(ms, 10))
			}
		case other != "":
			v = other
		}
		key = strings.ToLower(key)
		if prev, ok := out.get(key); ok {
			if list, isList := prev.([]any); isList {
				out.set(key, append(list, v))
			} else {
				out.set(key, []any{prev, v})
			}
			continue
		}
		out.set(key, v)
	}
	return out
}

func tfType(s string) string {
	if tfNumericOnly.MatchString(s) {
		if strings.Contains(s, ".") {
			return "numeric"
		}
		return "integer"
	}
	return "string"
}

func tfTyped(s string) any {
	switch tfType(s) {
	case "integer":
		n, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		return json.Number(strconv.FormatInt(n, 10))
	case "numeric":
		f, _ := strconv.ParseFloat(strings.TrimSpace(s), 64)
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
	}
	return s
}

// parseSMSField converts a raw SMS value by the field's type (CHT's smsparser.parseField).
// defined is false for JavaScript's undefined.
func parseSMSField(f FormField, raw any, present bool, settings map[string]any, loc *time.Location) (any, bool) {
	known := map[string]bool{"integer": true, "string": true, "date": true, "boolean": true, "month": true, "phone_number": true}
	if !known[f.Type] {
		return raw, present
	}
	if !present {
		return nil, false
	}
	if raw == "" {
		return nil, true
	}
	str := zeroWidthChars.ReplaceAllString(fmt.Sprint(raw), "")
	switch f.Type {
	case "integer":
		if f.HasList {
			for _, item := range f.List {
				pair, _ := item.([]any)
				if len(pair) == 2 && fmt.Sprint(pair[0]) == str {
					return translateLabel(pair[1], "en"), true
				}
			}
			return nil, true
		}
		return parseNum(str), true
	case "string":
		if f.Key == "patient_id" || f.Key == "place_id" {
			return str, true
		}
		return raw, true
	case "date":
		if ms, ok := parseDateMS(str, loc); ok {
			return json.Number(strconv.FormatInt(ms, 10)), true
		}
		return nil, true
	case "boolean":
		switch parseNum(str) {
		case json.Number("1"):
			return true, true
		case json.Number("0"):
			return false, true
		}
		return nil, true
	case "month":
		return parseNum(str), true
	default: // phone_number
		if n, ok := NormalizePhone(settings, str); ok {
			return n, true
		}
		return nil, true
	}
}

// parseNum is JavaScript's Number() for SMS values (Devanagari digits allowed); nil (null)
// when it is not a finite number.
func parseNum(s string) any {
	s = strings.Map(func(r rune) rune {
		if r >= '०' && r <= '९' {
			return '0' + (r - '०')
		}
		return r
	}, s)
	t := strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if t == "" {
		return json.Number("0")
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || strings.ContainsAny(t, "nN") {
		return nil
	}
	return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
}

// setDeep sets path in o, creating intermediate objects (CHT's createDeepKey).
func setDeep(o *object, path []string, v any, defined bool) {
	for len(path) > 1 {
		next, _ := o.vals[path[0]].(*object)
		if next == nil {
			next = newObject()
			o.set(path[0], next)
		}
		o, path = next, path[1:]
	}
	if defined {
		o.set(path[0], v)
	}
}
