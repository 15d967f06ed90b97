package action

import (
	"careflow/engine"
	"careflow/engine/modifier"
	"careflow/flow"
)

func init() {
	register(flow.TypeAddContactGroups, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.AddContactGroups)
		var refs []*flow.GroupRef
		for _, g := range resolveGroups(r, act.Groups) {
			refs = append(refs, g.Ref())
		}
		if len(refs) > 0 {
			r.Session().Apply(&modifier.Groups{Groups: refs, Modification: "add"})
		}
		return nil
	})
}
