package action

import (
	"fmt"
	"strings"

	"careflow/engine"
	"careflow/flow"
)

func register(name string, fn engine.ActionFunc) { engine.RegisterAction(name, fn) }

// missing logs the dependency:missing error for a reference not found in assets.
func missing(r *engine.Run, typ, identity, desc string) {
	r.LogError(fmt.Sprintf("Missing dependency: %s[%s]", typ, desc), "dependency:missing",
		map[string]string{"type": typ, "identity": identity})
}

// resolveGroups resolves fixed and name_match group references, logging what can't be found.
func resolveGroups(r *engine.Run, refs []*flow.GroupRef) []*engine.Group {
	a := r.Session().Assets()
	var out []*engine.Group
	for _, ref := range refs {
		if ref.NameMatch != "" {
			name, ok := r.EvaluateText(ref.NameMatch)
			if !ok {
				continue
			}
			name = strings.TrimSpace(name)
			g := a.GroupByName(name)
			if g == nil {
				r.LogError(fmt.Sprintf("No such group with name '%s'", name), "group:missing", map[string]string{"name": name})
				continue
			}
			out = append(out, g)
			continue
		}
		g := a.Group(ref.UUID)
		if g == nil {
			missing(r, "group", ref.UUID, fmt.Sprintf("uuid=%s,name=%s", ref.UUID, ref.Name))
			continue
		}
		out = append(out, g)
	}
	return out
}

// resolveLabels resolves label references like resolveGroups.
func resolveLabels(r *engine.Run, refs []*flow.LabelRef) []*engine.Label {
	a := r.Session().Assets()
	var out []*engine.Label
	for _, ref := range refs {
		if ref.NameMatch != "" {
			name, ok := r.EvaluateText(ref.NameMatch)
			if !ok {
				continue
			}
			name = strings.TrimSpace(name)
			l := a.LabelByName(name)
			if l == nil {
				r.LogError(fmt.Sprintf("No such label with name '%s'", name), "label:missing", map[string]string{"name": name})
				continue
			}
			out = append(out, l)
			continue
		}
		l := a.Label(ref.UUID)
		if l == nil {
			missing(r, "label", ref.UUID, fmt.Sprintf("uuid=%s,name=%s", ref.UUID, ref.Name))
			continue
		}
		out = append(out, l)
	}
	return out
}

// trimmed evaluates a template and trims the result; ok is false on expression errors.
func trimmed(r *engine.Run, tpl string) (string, bool) {
	s, ok := r.EvaluateText(tpl)
	return strings.TrimSpace(s), ok
}
