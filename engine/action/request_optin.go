package action

import (
	"careflow/engine"
	"careflow/flow"
)

func init() {
	register(flow.TypeRequestOptIn, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		r.LogError("opt-in requests are no longer supported", "action:unsupported", nil)
		return nil
	})
}
