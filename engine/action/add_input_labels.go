package action

import (
	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

func init() {
	register(flow.TypeAddInputLabels, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.AddInputLabels)
		in := r.Session().Input
		if in == nil {
			r.LogError("No input to add labels to", "", nil)
			return nil
		}
		labels := resolveLabels(r, act.Labels)
		if len(labels) == 0 {
			return nil
		}
		refs := make([]*flow.LabelRef, len(labels))
		for i, l := range labels {
			refs[i] = &flow.LabelRef{UUID: l.UUID, Name: l.Name}
		}
		r.Log(event.NewInputLabelsAdded(in.UUID, refs))
		return nil
	})
}
