package action

import (
	"fmt"

	"careflow/engine"
	"careflow/flow"
)

func init() {
	register(flow.TypeEnterFlow, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.EnterFlow)
		s := r.Session()
		f, err := s.Assets().Flow(act.Flow.UUID)
		if err != nil || f == nil {
			r.Fail(fmt.Sprintf("Unable to find flow '%s'", act.Flow.Name))
			return nil
		}
		if f.Type != s.Type && f.Type != flow.TypeMessagingBackground {
			r.Fail(fmt.Sprintf("Can't enter flow[uuid=%s,name=%s] of type %s from type %s", f.UUID, f.Name, f.Type, s.Type))
			return nil
		}
		r.PushFlow(f, act.Terminal)
		return nil
	})
}
