package action

import (
	"careflow/engine"
	"careflow/engine/modifier"
	"careflow/flow"
)

func init() {
	register(flow.TypeRemoveContactGroups, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.RemoveContactGroups)
		c := r.Session().Contact()
		var refs []*flow.GroupRef
		if act.AllGroups {
			for _, ag := range r.Session().Assets().Groups {
				if ag.Query == "" && c.InGroup(ag.UUID) {
					refs = append(refs, ag.Ref())
				}
			}
		} else {
			for _, g := range resolveGroups(r, act.Groups) {
				refs = append(refs, g.Ref())
			}
		}
		if len(refs) > 0 {
			r.Session().Apply(&modifier.Groups{Groups: refs, Modification: "remove"})
		}
		return nil
	})
}
