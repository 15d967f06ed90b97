package action

import (
	"fmt"

	"careflow/engine"
	"careflow/engine/modifier"
	"careflow/flow"
)

func init() {
	register(flow.TypeSetContactChannel, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.SetContactChannel)
		if act.Channel == nil {
			r.Session().Apply(&modifier.Channel{})
			return nil
		}
		ch := r.Session().Assets().Channel(act.Channel.UUID)
		if ch == nil {
			missing(r, "channel", act.Channel.UUID, fmt.Sprintf("uuid=%s,name=%s", act.Channel.UUID, act.Channel.Name))
			return nil
		}
		r.Session().Apply(&modifier.Channel{Channel: ch.Ref()})
		return nil
	})
}
