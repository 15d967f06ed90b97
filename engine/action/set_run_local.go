package action

import (
	"strconv"
	"strings"

	"careflow/engine"
	"careflow/flow"
)

func init() {
	register(flow.TypeSetRunLocal, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.SetRunLocal)
		switch act.Operation {
		case flow.LocalClear:
			r.DeleteLocal(act.Local)
		case flow.LocalIncrement:
			v, _ := r.EvaluateText(act.Value)
			inc, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				r.LogError("Increment value is not an integer", "", nil)
				return nil
			}
			cur, _ := strconv.Atoi(r.Locals[act.Local])
			r.SetLocal(act.Local, strconv.Itoa(cur+inc))
		default:
			v, ok := r.EvaluateText(act.Value)
			if !ok {
				return nil
			}
			r.SetLocal(act.Local, engine.Truncate(v, 1000))
		}
		return nil
	})
}
