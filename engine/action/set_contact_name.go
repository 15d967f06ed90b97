package action

import (
	"careflow/engine"
	"careflow/engine/modifier"
	"careflow/flow"
)

func init() {
	register(flow.TypeSetContactName, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.SetContactName)
		name, ok := trimmed(r, act.Name)
		if !ok {
			return nil
		}
		name = engine.Truncate(name, r.Session().Engine().MaxNameChars)
		r.Session().Apply(&modifier.Name{Name: name})
		return nil
	})
}
