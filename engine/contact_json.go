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
		o.array("urns", len(c.URNs), func(b []byte, i int) []byte { return appendJSONString(b, c.URNs[i].String()) })
	}
	if len(c.Groups) > 0 {
		o.array("groups", len(c.Groups), func(b []byte, i int) []byte {
			g := newJSONObj(b)
			g.strOmit("uuid", c.Groups[i].UUID)
			g.strOmit("name", c.Groups[i].Name)
			g.strOmit("name_match", c.Groups[i].NameMatch)
			return g.end()
		})
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
		o.key("datetime")
		o.b = append(o.b, '"')
		o.b = v.Datetime.AppendFormat(o.b, datetimeLayout)
		o.b = append(o.b, '"')
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
	if r.null() {
		return fmt.Errorf("contact is null")
	}
	return r.document(func(k []byte) (err error) {
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
			c.LastSeenOn, err = r.optTime()
		case "urns":
			err = r.array(func() error {
				s, err := r.str()
				if err != nil {
					return err
				}
				u, err := ParseURN(s)
				if err != nil {
					return err
				}
				// affinity to a channel the workspace doesn't have is dropped, as the
				// reference reads it as no channel (and writes the URN back without it)
				if assets != nil && u.Channel != "" && assets.Channel(u.Channel) == nil {
					u.Channel = ""
				}
				c.URNs = append(c.URNs, u)
				return nil
			})
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
		}
		return err
	})
}

func decodeFields(r *jsonReader) (map[string]*FieldValue, error) {
	if r.null() {
		return nil, nil
	}
	fields := map[string]*FieldValue{}
	err := r.object(func(k []byte) error {
		key := string(k)
		v, err := decodeFieldValue(r)
		if v != nil {
			fields[key] = v
		}
		return err
	})
	return fields, err
}

func decodeFieldValue(r *jsonReader) (*FieldValue, error) {
	if r.null() {
		return nil, nil
	}
	v := &FieldValue{}
	return v, r.object(func(k []byte) (err error) {
		switch string(k) {
		case "text":
			v.Text, err = r.str()
		case "number":
			v.Number, err = r.decimal()
		case "datetime":
			v.Datetime, err = r.optTime()
		case "state":
			v.State, err = r.str()
		case "district":
			v.District, err = r.str()
		case "ward":
			v.Ward, err = r.str()
		}
		return err
	})
}

// decimal reads a number (or a string holding one), or null as nil.
func (r *jsonReader) decimal() (*decimal.Decimal, error) {
	if r.null() {
		return nil, nil
	}
	raw, err := r.skip()
	if err != nil {
		return nil, err
	}
	s := string(raw)
	if len(s) >= 2 && s[0] == '"' {
		s = s[1 : len(s)-1]
	}
	d, err := decimal.NewFromString(s)
	return &d, err
}
