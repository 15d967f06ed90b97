package flow

// TypeSetContactField is the wire name of SetContactField.
const TypeSetContactField = "set_contact_field"

// SetContactField sets the contact field Field to Value (a template; empty clears it).
//
//	{"type": "set_contact_field", "uuid": "…", "field": {"key": "gender", "name": "Gender"}, "value": "Male"}
type SetContactField struct {
	BaseAction
	universalAction
	Field *FieldRef `json:"field"`
	Value string    `json:"value"`
}

func init() { registerAction(TypeSetContactField, func() Action { return &SetContactField{} }) }

func (a *SetContactField) check(c *checker) {
	a.checkBase(c)
	if a.Field == nil {
		c.fail("field", "is required")
	} else {
		c.reqLen("field.key", a.Field.Key, 64)
		c.maxLen("field.name", a.Field.Name, 64)
	}
	c.maxLen("value", a.Value, 10000)
}

func (a *SetContactField) inspect(v *visitor) {
	if a.Field != nil {
		v.ref(&Dependency{Type: "field", Key: a.Field.Key, Name: a.Field.Name})
	}
	v.tpl(a.Value)
}
