package cht

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"careflow/store"
)

// Records creates data_record documents from the records API (§2): JSON submissions against
// the JSON forms of app_settings.forms, and SMS-style form-encoded submissions.
type Records struct {
	docs     *Docs
	settings *Settings
	contacts *Contacts
	forms    formsCache
	batch    *writeBatcher
	// Now is the clock for reported_date and ids.
	Now func() time.Time
	// Location is the server time zone date fields are read in (CHT parses them in the server's
	// zone).
	Location *time.Location
}

// NewRecords returns the records service.
func NewRecords(docs *Docs, settings *Settings, contacts *Contacts) *Records {
	return &Records{docs: docs, settings: settings, contacts: contacts, batch: &writeBatcher{docs: docs},
		Now: time.Now, Location: time.Local}
}

// CreateJSON builds and saves a record from a JSON body (CHT's createRecordByJSON): _meta
// names the form and may give from, reported_date and locale; every other member whose
// lower-cased name is a declared field becomes a field. Mistakes in _meta or an unknown form
// are CHT's PublicErrors (a 500 with details); invalid field values only add errors to the
// record. It returns the new document's id.
func (r *Records) CreateJSON(ctx context.Context, body []byte) (string, error) {
	v, err := parseOrdered(body)
	if err != nil {
		// CHT answers a body its parser cannot read with a bare 500 "Server error"; careflow
		// says what is wrong with a 400, which no client of CHT's can have depended on.
		if e := json.Unmarshal(body, new(any)); e != nil {
			err = e // the standard decoder's message says where, the token reader's only "EOF"
		}
		return "", &Error{Status: 400, Message: "malformed JSON body: " + err.Error()}
	}
	data, _ := v.(*object)
	if data == nil {
		data = newObject()
	}
	metaV, _ := data.get("_meta")
	if metaV == nil || metaV == "" {
		return "", publicError("Missing _meta property.")
	}
	meta, _ := metaV.(*object)
	if meta == nil {
		meta = newObject()
	}
	formV, _ := meta.get("form")
	if formV == nil || formV == "" {
		return "", publicError("Missing required field: form")
	}
	formCode, ok := formV.(string)
	if !ok {
		return "", &Error{Status: 500, Message: "_meta.form is not a string"}
	}
	formCode = strings.ToUpper(formCode)
	meta.set("form", formCode)
	data.del("_meta")

	settings, raw, err := r.current(ctx)
	if err != nil {
		return "", err
	}
	def := r.forms.lookup(raw, formCode)
	if def == nil {
		return "", publicError("Form not found: " + formCode)
	}
	formData := newObject()
	for _, k := range data.keys {
		val := data.vals[k]
		if f := def.field(k); f != nil {
			switch f.Type {
			case "date":
				if n, ok := momentValue(val, r.Location); ok {
					val = n
				} else {
					val = nil // NaN, which JSON writes as null
				}
			case "boolean":
				if n, ok := val.(json.Number); ok {
					if f, err := n.Float64(); err == nil && (f == 0 || f == 1) {
						val = f == 1
					}
				}
			}
		}
		formData.set(lowerASCII(k), val)
	}
	return r.save(ctx, settings, def, formData, meta)
}

// SMS is a form-encoded submission (§2.3); a nil member was absent from the request.
type SMS struct {
	Message, From, SentTimestamp, Locale, GatewayRef *string
}

// CreateSMS builds and saves a record from an SMS-style submission (CHT's createByForm): the
// form code is the message's first token, the rest is parsed by the form's field definitions.
// An unknown form gives a plain message record.
func (r *Records) CreateSMS(ctx context.Context, sms SMS, queryLocale string) (string, error) {
	if sms.From == nil {
		return "", publicError("Missing required value: from")
	}
	if sms.Message == nil {
		return "", publicError("Missing required field: message")
	}
	settings, raw, err := r.current(ctx)
	if err != nil {
		return "", err
	}
	content := newObject()
	content.set("type", "sms_message")
	content.set("message", *sms.Message)
	code, hasCode := formCode(*sms.Message)
	if hasCode {
		content.set("form", code)
	}
	if sms.SentTimestamp != nil {
		content.set("reported_date", *sms.SentTimestamp)
	}
	if sms.Locale != nil && *sms.Locale != "" {
		content.set("locale", *sms.Locale)
	} else if queryLocale != "" {
		content.set("locale", queryLocale)
	}
	content.set("from", *sms.From)
	if sms.GatewayRef != nil {
		content.set("gateway_ref", *sms.GatewayRef)
	}
	var def *Form
	var formData *object
	if hasCode {
		if def = r.forms.lookup(raw, code); def != nil {
			locale, _ := content.vals["locale"].(string)
			formData = parseSMS(def, *sms.Message, locale, settings, r.Location)
		}
	}
	return r.save(ctx, settings, def, formData, content)
}

func (r *Records) current(ctx context.Context) (map[string]any, []byte, error) {
	return r.settings.Snapshot(ctx)
}

type idempotencyKey struct{}

// WithIdempotency returns ctx under which the record saved is guarded by the idempotency
// record answer builds from the new record's id (nil: not guarded). The record is written in
// the record's own transaction; when its key was recorded already, the save fails with
// store.ErrReplay and writes nothing (see internal/idempotency).
func WithIdempotency(ctx context.Context, answer func(id string) *store.Idempotency) context.Context {
	return context.WithValue(ctx, idempotencyKey{}, answer)
}

// save is CHT's getDataRecord followed by the update_clinics step and the write.
func (r *Records) save(ctx context.Context, settings map[string]any, def *Form, formData, options *object) (string, error) {
	now := r.Now()
	rec := r.build(settings, def, formData, options, now)
	if err := r.contacts.attachSender(ctx, settings, def, rec); err != nil {
		return "", err
	}
	id := newUUIDv7(now)
	w, err := docWrite(id, rec)
	if err != nil {
		return "", err
	}
	if answer, ok := ctx.Value(idempotencyKey{}).(func(string) *store.Idempotency); ok {
		w.Idempotency = answer(id)
	}
	res, err := r.batch.write(ctx, w)
	if err != nil {
		return "", fmt.Errorf("save record: %w", err)
	}
	if res.Err != nil {
		return "", fmt.Errorf("save record %s: %w", id, res.Err)
	}
	return id, nil
}

// build assembles the data_record in CHT's member order: type, from, form, errors, tasks,
// fields, reported_date, sms_message, then refid.
func (r *Records) build(settings map[string]any, def *Form, formData, options *object, now time.Time) *object {
	rec := newObject()
	rec.set("type", "data_record")
	if from, ok := options.get("from"); ok {
		if s, isStr := from.(string); isStr {
			if n, valid := NormalizePhone(settings, s); valid {
				from = n
			}
		}
		rec.set("from", from)
	}
	form, hasForm := options.get("form")
	if hasForm {
		rec.set("form", form)
	}
	var errs []any
	addErr := func(code, msg string) {
		e := newObject()
		e.set("code", code)
		e.set("message", msg)
		errs = append(errs, e)
	}
	rec.set("errors", []any{})
	rec.set("tasks", []any{})
	fields := newObject()
	rec.set("fields", fields)
	rec.set("reported_date", json.Number(strconv.FormatInt(now.UnixMilli(), 10)))
	rec.set("sms_message", options)
	if rd, ok := options.get("reported_date"); ok {
		if ts, ok := sentTimestamp(rd, r.Location); ok {
			rec.set("reported_date", ts)
		}
	}
	if formData == nil {
		formData = newObject()
	}
	if def != nil {
		if def.FacilityReference != "" {
			if v, ok := formData.get(def.FacilityReference); ok {
				if s, isStr := v.(string); isStr {
					v = strings.ToUpper(s)
				}
				rec.set("refid", v)
			}
		}
		for _, f := range def.Fields {
			mergeField(strings.Split(f.Key, "."), fields, formData)
		}
		for _, e := range validateRecord(def, formData) {
			addErr(e.code, e.message)
		}
	}
	if extra, _ := formData.get("_extra_fields"); extra == true {
		addErr("extra_fields", "Extra fields.")
	}
	if msg, ok := options.vals["message"].(string); ok && strings.TrimSpace(msg) == "" {
		addErr("sys.empty", "Message appears empty.")
	}
	if def == nil {
		if truthy(settings["forms_only_mode"]) {
			f, _ := form.(string)
			addErr("sys.form_not_found", fmt.Sprintf("Form '%s' not found.", f))
		} else {
			rec.del("form") // not a form submission: a plain message
		}
	}
	if errs != nil {
		rec.set("errors", errs)
	}
	return rec
}

// mergeField copies the declared field at path from formData into fields, creating nested
// objects for dotted keys when formData holds a matching object (CHT's smsparser.merge).
func mergeField(path []string, fields, formData *object) {
	if len(path) == 1 {
		if v, ok := formData.get(path[0]); ok {
			fields.set(path[0], v)
		}
		return
	}
	head := path[0]
	v, _ := formData.get(head)
	if !truthy(v) {
		return
	}
	sub, _ := fields.vals[head].(*object)
	if _, exists := fields.vals[head]; !exists {
		sub = newObject()
		fields.set(head, sub)
	}
	src, _ := v.(*object)
	if sub == nil || src == nil {
		return
	}
	mergeField(path[1:], sub, src)
}

type recordError struct{ code, message string }

// validateRecord checks declared fields (§2.5): type mismatches in declaration order, then one
// combined error naming every missing required field.
func validateRecord(def *Form, formData *object) []recordError {
	var out []recordError
	var missing []string
	for _, f := range def.Fields {
		v, present := formData.get(f.Key)
		exists := present && v != nil
		if f.Required && !exists {
			missing = append(missing, f.Key)
			continue
		}
		if !exists || f.HasList {
			continue
		}
		var ok bool
		switch f.Type {
		case "integer":
			ok = isInteger(v)
		case "string":
			_, ok = v.(string)
		case "boolean":
			_, ok = v.(bool)
		case "complex":
			switch v.(type) {
			case *object, []any:
				ok = true
			}
		default:
			ok = true
		}
		if !ok {
			out = append(out, recordError{"sys.incorrect_type", fmt.Sprintf("Incorrect type of field %s, expected %s.", f.Key, f.Type)})
		}
	}
	if len(missing) > 0 {
		out = append(out, recordError{"sys.missing_fields", "Missing or invalid fields: " + strings.Join(missing, ",") + "."})
	}
	return out
}
