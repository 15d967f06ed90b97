package action

import (
	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

func init() {
	register(flow.TypeCallClassifier, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.CallClassifier)
		input, _ := r.EvaluateText(act.Input)
		r.Log(event.NewWarning("NLU classifiers are no longer supported", "", nil))
		if act.ResultName != "" {
			r.SaveResult(act.ResultName, "0", "Failure", "", n.UUID, input, nil)
		}
		return nil
	})
}
