package action

import (
	"careflow/engine"
	"careflow/flow"
)

func init() {
	register(flow.TypeSetRunResult, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.SetRunResult)
		value, ok := r.EvaluateText(act.Value)
		if !ok {
			return nil
		}
		localized, _ := r.LocalizeText(string(act.UUID()), "category", act.Category)
		r.SaveResult(act.Name, value, act.Category, localized, n.UUID, "", nil)
		return nil
	})
}
