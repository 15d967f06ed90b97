package action

import (
	"fmt"

	"careflow/engine"
	"careflow/engine/modifier"
	"careflow/flow"
)

func init() {
	register(flow.TypeSetContactField, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.SetContactField)
		value, ok := trimmed(r, act.Value)
		if !ok {
			return nil
		}
		f := r.Session().Assets().Field(act.Field.Key)
		if f == nil {
			missing(r, "field", act.Field.Key, fmt.Sprintf("key=%s,name=%s", act.Field.Key, act.Field.Name))
			return nil
		}
		r.Session().Apply(&modifier.Field{Field: f.Ref(), Value: value})
		return nil
	})
}
