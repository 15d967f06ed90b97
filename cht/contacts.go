package cht

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"careflow/store"
)

// Contacts creates and reads people and places (§6) and finds contacts by phone (§3).
type Contacts struct {
	docs     *Docs
	settings *Settings
	// Now is the clock for reported_date and ids.
	Now func() time.Time
}

// NewContacts returns the contacts service.
func NewContacts(docs *Docs, settings *Settings) *Contacts {
	return &Contacts{docs: docs, settings: settings, Now: time.Now}
}

// Created names a document written: its id and new revision.
type Created struct {
	ID  string `json:"id"`
	Rev string `json:"rev"`
	// Contact is the primary contact created with a place, if any.
	Contact *Created `json:"contact,omitempty"`
}

// ErrBadPhone is contacts-by-phone's answer to a missing or unusable phone.
var ErrBadPhone = &CouchError{Status: 400, Code: "bad_request", Reason: "`phone` parameter is required and must be a valid phone number"}

// ErrNoMatches is contacts-by-phone's answer when no contact has the phone.
var ErrNoMatches = &CouchError{Status: 404, Code: "not_found", Reason: "no matches found"}

// ByPhone finds the contacts whose stored phone equals phone once normalised (§3.2, §3.3) and
// returns them hydrated, ordered by id, as JSON objects.
func (c *Contacts) ByPhone(ctx context.Context, phone string) ([]json.RawMessage, error) {
	settings, err := c.settings.Get(ctx)
	if err != nil {
		return nil, err
	}
	normalized, ok := NormalizePhone(settings, phone)
	if phone == "" || !ok {
		return nil, ErrBadPhone
	}
	docs, err := c.withPhone(ctx, normalized, false)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, ErrNoMatches
	}
	if err := hydrate(ctx, c.docs.Store, docs); err != nil {
		return nil, err
	}
	out := make([]json.RawMessage, len(docs))
	for i, d := range docs {
		if out[i], err = d.MarshalJSON(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Get returns a contact of the given kind ("person" or "place") by id, hydrated when
// withLineage is set; a *Error 404 when there is no such contact.
func (c *Contacts) Get(ctx context.Context, kind, id string, withLineage bool) (json.RawMessage, error) {
	notFound := &Error{Status: 404, Message: strings.ToUpper(kind[:1]) + kind[1:] + " not found"}
	doc, err := loadDoc(ctx, c.docs.Store, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	settings, err := c.settings.Get(ctx)
	if err != nil {
		return nil, err
	}
	ct := findType(settings, typeOf(doc))
	if ct == nil || ct.Person != (kind == "person") {
		return nil, notFound
	}
	if withLineage {
		if err := hydrate(ctx, c.docs.Store, []*object{doc}); err != nil {
			return nil, err
		}
	}
	return doc.MarshalJSON()
}

// CreatePerson creates a person from a POST /api/v1/people body: name is required, type
// defaults to person and must be a person type, place (an id or a new place object) becomes
// the minified parent, reported_date defaults to now.
func (c *Contacts) CreatePerson(ctx context.Context, body []byte) (Created, error) {
	v, err := parseOrdered(body)
	if err != nil {
		return Created{}, badRequest("invalid JSON body: %v", err)
	}
	data, ok := v.(*object)
	if !ok {
		return Created{}, badRequest("Person must be an object.")
	}
	return c.createPerson(ctx, data, nil)
}

func (c *Contacts) createPerson(ctx context.Context, data *object, parent *object) (Created, error) {
	settings, err := c.settings.Get(ctx)
	if err != nil {
		return Created{}, err
	}
	if name, ok := data.vals["name"].(string); !ok || strings.TrimSpace(name) == "" {
		return Created{}, badRequest(`Person is missing a "name" property.`)
	}
	typeID := "person"
	if t, ok := data.vals["type"].(string); ok && t != "" && t != "contact" {
		typeID = t
	} else if t == "contact" {
		typeID, _ = data.vals["contact_type"].(string)
	}
	ct := findType(settings, typeID)
	if ct == nil || !ct.Person {
		return Created{}, badRequest("Invalid person type: %s", typeID)
	}
	if parent == nil {
		if p, ok := data.get("place"); ok && p != nil && p != "" {
			if parent, err = c.resolveParent(ctx, settings, p, "place"); err != nil {
				return Created{}, err
			}
		}
	}
	data.del("place")
	if parent != nil {
		if !ct.allowsParent(typeOf(parent)) {
			return Created{}, badRequest("%s should have one of the following parent types: %q.", typeID, strings.Join(ct.Parents, ", "))
		}
		data.set("parent", minifiedLineage(parent))
	}
	return c.write(ctx, settings, data, ct, "person")
}

// CreatePlace creates a place from a POST /api/v1/places body: name and a place type are
// required, parent (an id or a new place object) is required below the top level and must be
// an allowed parent type, contact (an id or a new person object) becomes the primary contact.
func (c *Contacts) CreatePlace(ctx context.Context, body []byte) (Created, error) {
	v, err := parseOrdered(body)
	if err != nil {
		return Created{}, badRequest("invalid JSON body: %v", err)
	}
	data, ok := v.(*object)
	if !ok {
		return Created{}, badRequest("Place must be an object.")
	}
	return c.createPlace(ctx, data)
}

func (c *Contacts) createPlace(ctx context.Context, data *object) (Created, error) {
	settings, err := c.settings.Get(ctx)
	if err != nil {
		return Created{}, err
	}
	typeID, _ := data.vals["type"].(string)
	if typeID == "contact" {
		typeID, _ = data.vals["contact_type"].(string)
	}
	ct := findType(settings, typeID)
	if ct == nil || ct.Person {
		b, _ := data.MarshalJSON()
		return Created{}, badRequest("Wrong type, object %s is not a place.", b)
	}
	if name, ok := data.vals["name"].(string); !ok || strings.TrimSpace(name) == "" {
		return Created{}, badRequest(`Place is missing a "name" property.`)
	}
	if p, ok := data.get("parent"); ok && p != nil && p != "" {
		parent, err := c.resolveParent(ctx, settings, p, "parent")
		if err != nil {
			return Created{}, err
		}
		if !ct.allowsParent(typeOf(parent)) {
			return Created{}, badRequest("%s should have one of the following parent types: %q.", typeID, strings.Join(ct.Parents, ", "))
		}
		data.set("parent", minifiedLineage(parent))
	} else if len(ct.Parents) > 0 {
		return Created{}, badRequest(`Place %s is missing a "parent" property.`, data.vals["name"])
	} else {
		data.del("parent")
	}
	contact, hasContact := data.get("contact")
	data.del("contact")
	created, err := c.write(ctx, settings, data, ct, "place")
	if err != nil || !hasContact || contact == nil || contact == "" {
		return created, err
	}
	// The primary contact: an existing person, or a new one created under the new place.
	place, err := loadDoc(ctx, c.docs.Store, created.ID)
	if err != nil {
		return created, err
	}
	var person *object
	switch t := contact.(type) {
	case string:
		if person, err = loadDoc(ctx, c.docs.Store, t); err != nil {
			return created, badRequest("Failed to find person with id %q.", t)
		}
	case *object:
		pc, err := c.createPerson(ctx, t, place)
		if err != nil {
			return created, err
		}
		created.Contact = &pc
		if person, err = loadDoc(ctx, c.docs.Store, pc.ID); err != nil {
			return created, err
		}
	default:
		return created, badRequest("Place contact must be an id or a person object.")
	}
	place.set("contact", minifiedLineage(person))
	rev, err := c.put(ctx, place)
	if err != nil {
		return created, err
	}
	created.Rev = rev
	return created, nil
}

// resolveParent returns the parent named by v (an existing id, or a new place to create).
func (c *Contacts) resolveParent(ctx context.Context, settings map[string]any, v any, member string) (*object, error) {
	switch t := v.(type) {
	case string:
		doc, err := loadDoc(ctx, c.docs.Store, t)
		if errors.Is(err, store.ErrNotFound) {
			return nil, badRequest("Failed to find %s with id %q.", member, t)
		}
		return doc, err
	case *object:
		if id, ok := t.vals["_id"].(string); ok && id != "" {
			return c.resolveParent(ctx, settings, id, member)
		}
		created, err := c.createPlace(ctx, t)
		if err != nil {
			return nil, err
		}
		return loadDoc(ctx, c.docs.Store, created.ID)
	}
	return nil, badRequest("%s must be an id or an object.", member)
}

// write completes a new contact (type, reported_date, id) and saves it.
func (c *Contacts) write(ctx context.Context, settings map[string]any, data *object, ct *ContactType, kind string) (Created, error) {
	if hardcodedTypes[ct.ID] {
		data.set("type", ct.ID)
		data.del("contact_type")
	} else {
		data.set("type", "contact")
		data.set("contact_type", ct.ID)
	}
	now := c.Now()
	if rd, ok := data.get("reported_date"); ok && rd != nil {
		ms, valid := momentValue(rd, time.Local)
		if !valid {
			return Created{}, badRequest("Reported date on %s is invalid: %v", kind, rd)
		}
		data.set("reported_date", ms)
	} else {
		data.set("reported_date", json.Number(strconv.FormatInt(now.UnixMilli(), 10)))
	}
	id, _ := data.vals["_id"].(string)
	if id == "" {
		id = newUUIDv7(now)
		data.set("_id", id)
	}
	rev, err := c.put(ctx, data)
	if err != nil {
		return Created{}, err
	}
	return Created{ID: id, Rev: rev}, nil
}

// put writes a full document (with _id and, for an update, _rev) through Docs.
func (c *Contacts) put(ctx context.Context, doc *object) (string, error) {
	b, err := doc.MarshalJSON()
	if err != nil {
		return "", err
	}
	w, err := store.SplitDoc(b)
	if err != nil {
		return "", err
	}
	res, err := c.docs.Write(ctx, []store.DocWrite{w})
	if err != nil {
		return "", fmt.Errorf("write %s: %w", w.ID, err)
	}
	if errors.Is(res[0].Err, store.ErrConflict) {
		return "", &CouchError{Status: 409, Code: "conflict", Reason: "Document update conflict."}
	}
	if res[0].Err != nil {
		return "", fmt.Errorf("write %s: %w", w.ID, res[0].Err)
	}
	doc.set("_rev", res[0].Rev)
	return res[0].Rev, nil
}

// contactDocTypes are the document types contacts-by-phone indexes, people first.
var contactDocTypes = []string{"person", "contact", "clinic", "health_center", "district_hospital"}

// withPhone returns the contacts whose stored phone is phone, ordered by id; with first it
// keeps only those of the first type that has one (people are looked at first). One query
// on the phone index; documents of other types with a phone (reports) are left out.
func (c *Contacts) withPhone(ctx context.Context, phone string, first bool) ([]*object, error) {
	found, err := c.docs.Store.FindDocs(ctx, store.DocQuery{Phone: phone})
	if err != nil {
		return nil, err
	}
	best := len(contactDocTypes)
	var out []*object
	for _, d := range found { // FindDocs orders by id
		var head struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(d.Fields, &head)
		rank := slices.Index(contactDocTypes, head.Type)
		if rank < 0 || (first && rank > best) {
			continue
		}
		if first && rank < best {
			best, out = rank, out[:0]
		}
		o, err := docObject(d)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// attachSender sets a record's contact as CHT's update_clinics transition does (careflow
// attributes senders whether or not that transition is configured, so RapidPro submissions
// always carry their contact): by the record's refid when it has one (see byRefid), otherwise
// the sender found by its from phone, minified with its lineage. When the transition is
// enabled and no contact matches, a non-public form's record gets the sys.facility_not_found
// error.
func (c *Contacts) attachSender(ctx context.Context, settings map[string]any, def *Form, rec *object) error {
	if _, has := rec.vals["contact"]; has {
		return nil
	}
	from, _ := rec.vals["from"].(string)
	if refid := rec.vals["refid"]; truthy(refid) {
		// A record with a reference is matched by it alone, never by phone.
		contact, err := c.byRefid(ctx, settings, refid)
		if err != nil {
			return err
		}
		if contact != nil {
			rec.set("contact", contact)
			return nil
		}
	} else if from != "" {
		found, err := c.withPhone(ctx, from, true)
		if err != nil {
			return err
		}
		if len(found) > 0 {
			rec.set("contact", minifiedLineage(found[0]))
			return nil
		}
	}
	if transitionEnabled(settings, "update_clinics") && def != nil && !def.PublicForm {
		errs, _ := rec.vals["errors"].([]any)
		e := newObject()
		e.set("code", "sys.facility_not_found")
		e.set("message", "Facility not found.")
		rec.set("errors", append(errs, e))
	}
	return nil
}

// byRefid finds the contact a record's facility_reference names (CHT's update_clinics): the
// first contact, by _id, whose upper-cased rc_code equals refid. A person is attached itself;
// a place by its primary contact, or, when the place names no primary contact, as
// {"parent": place}. Only a string refid can match (CHT's view keys are strings). It returns
// nil when nothing matches, when the match is not of a configured contact type, or when the
// place's primary contact does not exist (where CHT's transition fails and attaches nothing).
// The contact comes back minified with its lineage, as records store it; a primary contact
// reference without an _id is copied as the place stores it.
func (c *Contacts) byRefid(ctx context.Context, settings map[string]any, refid any) (any, error) {
	code, ok := refid.(string)
	if !ok {
		return nil, nil
	}
	found, err := c.docs.Store.FindDocs(ctx, store.DocQuery{RCCode: code, Limit: 1})
	if err != nil || len(found) == 0 {
		return nil, err
	}
	doc, err := docObject(found[0])
	if err != nil {
		return nil, err
	}
	ct := findType(settings, typeOf(doc))
	switch {
	case ct == nil:
		return nil, nil
	case ct.Person:
		return minifiedLineage(doc), nil
	}
	primary := doc.vals["contact"]
	if p, isObj := primary.(*object); isObj {
		if id, _ := p.vals["_id"].(string); id != "" {
			person, err := loadDoc(ctx, c.docs.Store, id)
			if errors.Is(err, store.ErrNotFound) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return minifiedLineage(person), nil
		}
	}
	if truthy(primary) {
		return primary, nil
	}
	out := newObject()
	out.set("parent", minifiedLineage(doc))
	return out, nil
}

// transitionEnabled reads app_settings.transitions[name]: truthy and not {"disable": true}.
func transitionEnabled(settings map[string]any, name string) bool {
	ts, _ := settings["transitions"].(map[string]any)
	v := ts[name]
	if m, ok := v.(map[string]any); ok {
		return m["disable"] != true
	}
	switch t := v.(type) {
	case bool:
		return t
	case nil:
		return false
	case string:
		return t != ""
	case json.Number:
		return t != "0"
	}
	return true
}

// forUser resolves a new user's place and contact: ids of existing documents, or objects to
// create (the contact under the place).
func (c *Contacts) forUser(ctx context.Context, placeV, contactV any) (placeID, contactID, contactRev string, err error) {
	settings, err := c.settings.Get(ctx)
	if err != nil {
		return "", "", "", err
	}
	var place *object
	if placeV != nil {
		if place, err = c.resolveUserRef(ctx, settings, placeV, false); err != nil {
			return "", "", "", err
		}
		placeID, _ = place.vals["_id"].(string)
	}
	if contactV == nil {
		return placeID, "", "", nil
	}
	switch t := contactV.(type) {
	case string:
		person, err := c.resolveUserRef(ctx, settings, t, true)
		if err != nil {
			return "", "", "", err
		}
		contactID, _ = person.vals["_id"].(string)
		return placeID, contactID, "", nil
	case map[string]any:
		b, _ := json.Marshal(t)
		v, _ := parseOrdered(b)
		created, err := c.createPerson(ctx, v.(*object), place)
		if err != nil {
			return "", "", "", err
		}
		return placeID, created.ID, created.Rev, nil
	}
	return "", "", "", userError("Contact must be an id or a person object.", "contact.invalid", nil)
}

func (c *Contacts) resolveUserRef(ctx context.Context, settings map[string]any, v any, person bool) (*object, error) {
	kind := "place"
	if person {
		kind = "contact"
	}
	switch t := v.(type) {
	case string:
		doc, err := loadDoc(ctx, c.docs.Store, t)
		if errors.Is(err, store.ErrNotFound) {
			return nil, userError(fmt.Sprintf("Failed to find %s.", kind), kind+".not.found", nil)
		}
		if err != nil {
			return nil, err
		}
		ct := findType(settings, typeOf(doc))
		if ct == nil || ct.Person != person {
			return nil, userError(fmt.Sprintf("Wrong type, this is not a %s.", kind), kind+".type.wrong", nil)
		}
		return doc, nil
	case map[string]any:
		b, _ := json.Marshal(t)
		ov, _ := parseOrdered(b)
		created, err := c.createPlace(ctx, ov.(*object))
		if err != nil {
			return nil, err
		}
		return loadDoc(ctx, c.docs.Store, created.ID)
	}
	return nil, userError(fmt.Sprintf("Invalid %s.", kind), kind+".invalid", nil)
}
