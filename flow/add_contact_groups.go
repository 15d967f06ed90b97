package flow

// TypeAddContactGroups is the wire name of AddContactGroups.
const TypeAddContactGroups = "add_contact_groups"

// AddContactGroups adds the contact to Groups (fixed or matched by name at run time).
//
//	{"type": "add_contact_groups", "uuid": "…", "groups": [{"uuid": "…", "name": "Testers"}]}
type AddContactGroups struct {
	BaseAction
	universalAction
	Groups []*GroupRef `json:"groups"`
}

func init() { registerAction(TypeAddContactGroups, func() Action { return &AddContactGroups{} }) }

func (a *AddContactGroups) check(c *checker) {
	a.checkBase(c)
	c.required("groups", a.Groups != nil)
	c.maxItems("groups", len(a.Groups), 100)
	checkGroups(c, "groups", a.Groups)
}

func (a *AddContactGroups) inspect(v *visitor) {
	v.groups(a.Groups)
	v.groupTemplates(a.Groups)
}
