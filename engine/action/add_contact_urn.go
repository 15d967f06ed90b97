package action

import (
	"fmt"

	"careflow/engine"
	"careflow/engine/modifier"
	"careflow/flow"
)

func init() {
	register(flow.TypeAddContactURN, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.AddContactURN)
		path, _ := trimmed(r, act.Path)
		if path == "" {
			r.LogError("Can't add URN with empty path", "", nil)
			return nil
		}
		u := &engine.URN{Scheme: act.Scheme, Path: path}
		u.NormalizeIn(r.Session().Env().DefaultCountry)
		if err := u.Validate(); err != nil {
			s := act.Scheme + ":" + path
			r.LogError(fmt.Sprintf("'%s' is not valid URN", s), "urn:invalid", map[string]string{"urn": s})
			r.SetLocal("_has_urn", "")
			return nil
		}
		c := r.Session().Contact()
		if !c.HasURN(u.Identity()) {
			r.Session().Apply(&modifier.URNs{URNs: []string{u.Identity()}, Modification: "append"})
		}
		if c.HasURN(u.Identity()) {
			r.SetLocal("_has_urn", u.Identity())
		} else {
			r.SetLocal("_has_urn", "")
		}
		return nil
	})
}
