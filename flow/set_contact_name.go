package flow

// TypeSetContactName is the wire name of SetContactName.
const TypeSetContactName = "set_contact_name"

// SetContactName sets the contact's name to Name (a template; empty clears it).
//
//	{"type": "set_contact_name", "uuid": "…", "name": "@results.name"}
type SetContactName struct {
	BaseAction
	universalAction
	Name string `json:"name"`
}

func init() { registerAction(TypeSetContactName, func() Action { return &SetContactName{} }) }

func (a *SetContactName) check(c *checker) {
	a.checkBase(c)
	c.maxLen("name", a.Name, 1000)
}

func (a *SetContactName) inspect(v *visitor) {
	v.tpl(a.Name)
}
