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
	return resolveRefs(r, "group", refs, a.Group, a.GroupByName)
}

// resolveLabels resolves label references like resolveGroups.
func resolveLabels(r *engine.Run, refs []*flow.LabelRef) []*engine.Label {
	a := r.Session().Assets()
	return resolveRefs(r, "label", refs, a.Label, a.LabelByName)
}

// resolveRefs resolves references to assets of one kind: by UUID, or by the name their
// name_match template evaluates to. What can't be found is logged (dependency:missing for a
// UUID, KIND:missing for a name) and left out.
func resolveRefs[R flow.GroupRef | flow.LabelRef, T any](r *engine.Run, kind string, refs []*R, byUUID, byName func(string) *T) []*T {
	var out []*T
	for _, p := range refs {
		ref := flow.GroupRef(*p) // every kind of reference has the same fields
		var found *T
		if ref.NameMatch != "" {
			name, ok := r.EvaluateText(ref.NameMatch)
			if !ok {
				continue
			}
			name = strings.TrimSpace(name)
			if found = byName(name); found == nil {
				r.LogError(fmt.Sprintf("No such %s with name '%s'", kind, name), kind+":missing", map[string]string{"name": name})
				continue
			}
		} else if found = byUUID(ref.UUID); found == nil {
			missing(r, kind, ref.UUID, fmt.Sprintf("uuid=%s,name=%s", ref.UUID, ref.Name))
			continue
		}
		out = append(out, found)
	}
	return out
}

// trimmed evaluates a template and trims the result; ok is false on expression errors.
func trimmed(r *engine.Run, tpl string) (string, bool) {
	s, ok := r.EvaluateText(tpl)
	return strings.TrimSpace(s), ok
}
