package action

import (
	"fmt"

	"careflow/engine"
	"careflow/engine/modifier"
	"careflow/flow"
)

func init() {
	register(flow.TypeSetContactTimezone, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.SetContactTimezone)
		tz, ok := trimmed(r, act.Timezone)
		if !ok {
			return nil
		}
		if tz != "" && !engine.ValidTimezone(tz) {
			r.LogError(fmt.Sprintf("Unrecognized timezone: '%s'", tz), "timezone:invalid", map[string]string{"timezone": tz})
			return nil
		}
		r.Session().Apply(&modifier.Timezone{Timezone: tz})
		return nil
	})
}
