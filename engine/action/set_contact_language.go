package action

import (
	"fmt"

	"careflow/engine"
	"careflow/engine/modifier"
	"careflow/flow"
)

func init() {
	register(flow.TypeSetContactLanguage, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.SetContactLanguage)
		lang, ok := trimmed(r, act.Language)
		if !ok {
			return nil
		}
		if lang != "" {
			if len(lang) != 3 {
				r.LogError(fmt.Sprintf("iso-639-3 codes must be 3 characters, got: %s", lang), "", nil)
				return nil
			}
			if !flow.ValidLanguage(lang) {
				r.LogError(fmt.Sprintf("unrecognized language code: %s", lang), "", nil)
				return nil
			}
		}
		r.Session().Apply(&modifier.Language{Language: lang})
		return nil
	})
}
