package flow

import "errors"

// TypeRemoveContactGroups is the wire name of RemoveContactGroups.
const TypeRemoveContactGroups = "remove_contact_groups"

// RemoveContactGroups removes the contact from Groups, or from every non-query group when
// AllGroups is set.
//
//	{"type": "remove_contact_groups", "uuid": "…", "all_groups": true}
type RemoveContactGroups struct {
	BaseAction
	universalAction
	Groups    []*GroupRef `json:"groups,omitempty"`
	AllGroups bool        `json:"all_groups,omitempty"`
}

func init() {
	registerAction(TypeRemoveContactGroups, func() Action { return &RemoveContactGroups{} })
}

func (a *RemoveContactGroups) check(c *checker) {
	a.checkBase(c)
	checkGroups(c, "groups", a.Groups)
}

func (a *RemoveContactGroups) validate() error {
	if a.AllGroups && len(a.Groups) > 0 {
		return errors.New("can't specify specific groups when all_groups=true")
	}
	return nil
}

func (a *RemoveContactGroups) inspect(v *visitor) {
	v.groups(a.Groups)
	v.groupTemplates(a.Groups)
}
