package action

import (
	"careflow/engine"
	"careflow/engine/modifier"
	"careflow/flow"
)

func init() {
	register(flow.TypeSetContactStatus, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		r.Session().Apply(&modifier.Status{Status: a.(*flow.SetContactStatus).Status})
		return nil
	})
}
