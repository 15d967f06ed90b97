package action

import (
	"fmt"

	"careflow/engine"
	"careflow/engine/modifier"
	"careflow/flow"
)

func init() {
	register(flow.TypeAddContactGroups, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.AddContactGroups)
		groups := resolveGroups(r, act.Groups)
		c := r.Session().Contact()
		var refs []*flow.GroupRef
		for _, g := range groups {
			if g.Query != "" {
				r.LogError(fmt.Sprintf("Can't add contacts to the query based group '%s'", g.Name), "", nil)
				continue
			}
			refs = append(refs, g.Ref())
		}
		if len(refs) > 0 && c.Status != engine.StatusActive {
			r.LogError("Can't add blocked or stopped contacts to groups", "", nil)
			return nil
		}
		if len(refs) > 0 {
			r.Session().Apply(&modifier.Groups{Groups: refs, Modification: "add"})
		}
		return nil
	})
}
