package engine

import (
	"fmt"

	"careflow/engine/event"
	"careflow/flow"

	"github.com/shopspring/decimal"
)

// MarshalJSON writes the contact in the reference shape (flows.md §9.1) without reflection.
func (c *Contact) MarshalJSON() ([]byte, error) {
	o := newJSONObj(make([]byte, 0, 512))
	o.str("uuid", c.UUID)
	if c.ID != 0 {
		o.int("id", c.ID)
	}
	o.strOmit("name", c.Name)
	o.strOmit("language", c.Language)
	o.str("status", c.Status)
	o.strOmit("timezone", c.Timezone)
	o.time("created_on", c.CreatedOn)
	if c.LastSeenOn != nil {
		o.time("last_seen_on", *c.LastSeenOn)
	}
	if len(c.URNs) > 0 {
		o.key("urns")
		o.b = append(o.b, '[')
		for i, u := range c.URNs {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			o.b = appendJSONString(o.b, u.String())
		}
		o.b = append(o.b, ']')
	}
	if len(c.Groups) > 0 {
		o.key("groups")
		o.b = append(o.b, '[')
		for i, g := range c.Groups {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			g2 := newJSONObj(o.b)
			g2.strOmit("uuid", g.UUID)
			g2.strOmit("name", g.Name)
			g2.strOmit("name_match", g.NameMatch)
			o.b = g2.end()
		}
		o.b = append(o.b, ']')
	}
	if len(c.Fields) > 0 {
		o.key("fields")
		fo := newJSONObj(o.b)
		for _, k := range c.SortedFieldKeys() {
			fo.key(k)
			fo.b = appendFieldValue(fo.b, c.Fields[k])
		}
		o.b = fo.end()
	}
	if len(c.Tickets) > 0 {
		if err := o.value("tickets", c.Tickets); err != nil {
			return nil, err
		}
	}
	return o.end(), nil
}

func appendFieldValue(b []byte, v *FieldValue) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	o := newJSONObj(b)
	o.str("text", v.Text)
	if v.Number != nil {
		o.raw("number", []byte(v.Number.String()))
	}
	if v.Datetime != nil {
		o.time("datetime", *v.Datetime)
	}
	o.strOmit("state", v.State)
	o.strOmit("district", v.District)
	o.strOmit("ward", v.Ward)
	return o.end()
}

// ReadContact reads a contact from JSON. Groups are resolved against assets when given
// (unknown groups are dropped).
func ReadContact(data []byte, assets *Assets) (*Contact, error) {
	c := &Contact{}
	if err := decodeContact(&jsonReader{b: data}, c, assets); err != nil {
		return nil, fmt.Errorf("read contact: %w", err)
	}
	if c.Status == "" {
		c.Status = StatusActive
	}
	if c.Fields == nil {
		c.Fields = map[string]*FieldValue{}
	}
	return c, nil
}

func decodeContact(r *jsonReader, c *Contact, assets *Assets) error {
	ok, err := r.openObject()
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("contact is null")
	}
	for {
		k, ok, err := r.nextKey()
		if err != nil || !ok {
			if err == nil {
				err = r.end()
			}
			return err
		}
		switch string(k) {
		case "uuid":
			c.UUID, err = r.str()
		case "id":
			c.ID, err = r.int()
		case "name":
			c.Name, err = r.str()
		case "language":
			c.Language, err = r.str()
		case "status":
			c.Status, err = r.str()
		case "timezone":
			c.Timezone, err = r.str()
		case "created_on":
			c.CreatedOn, err = r.time()
		case "last_seen_on":
			if !r.null() {
				t, terr := r.time()
				c.LastSeenOn, err = &t, terr
			}
		case "urns":
			var urns []string
			if urns, err = r.strings(); err == nil {
				for _, s := range urns {
					u, perr := ParseURN(s)
					if perr != nil {
						return perr
					}
					c.URNs = append(c.URNs, u)
				}
			}
		case "groups":
			var groups []*flow.GroupRef
			if err = r.into(&groups); err == nil {
				for _, g := range groups {
					if assets == nil {
						c.Groups = append(c.Groups, g)
					} else if a := assets.Group(g.UUID); a != nil {
						c.Groups = append(c.Groups, a.Ref())
					}
				}
			}
		case "fields":
			c.Fields, err = decodeFields(r)
		case "tickets":
			var tickets []*event.Ticket
			if err = r.into(&tickets); err == nil {
				c.Tickets = tickets
			}
		default:
			_, err = r.skip()
		}
		if err != nil {
			return err
		}
	}
}

func decodeFields(r *jsonReader) (map[string]*FieldValue, error) {
	ok, err := r.openObject()
	if err != nil || !ok {
		return nil, err
	}
	fields := map[string]*FieldValue{}
	for {
		k, ok, err := r.nextKey()
		if err != nil || !ok {
			return fields, err
		}
		key := string(k)
		if r.null() {
			continue
		}
		v := &FieldValue{}
		if err := decodeFieldValue(r, v); err != nil {
			return nil, err
		}
		fields[key] = v
	}
}

func decodeFieldValue(r *jsonReader, v *FieldValue) error {
	ok, err := r.openObject()
	if err != nil || !ok {
		return err
	}
	for {
		k, ok, err := r.nextKey()
		if err != nil || !ok {
			return err
		}
		switch string(k) {
		case "text":
			v.Text, err = r.str()
		case "number":
			if !r.null() {
				var raw []byte
				if raw, err = r.skip(); err == nil {
					s := string(raw)
					if len(s) >= 2 && s[0] == '"' {
						s = s[1 : len(s)-1]
					}
					d, derr := decimal.NewFromString(s)
					v.Number, err = &d, derr
				}
			}
		case "datetime":
			if !r.null() {
				t, terr := r.time()
				v.Datetime, err = &t, terr
			}
		case "state":
			v.State, err = r.str()
		case "district":
			v.District, err = r.str()
		case "ward":
			v.Ward, err = r.str()
		default:
			_, err = r.skip()
		}
		if err != nil {
			return err
		}
	}
}
