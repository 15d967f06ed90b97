package engine

import (
	"fmt"

	"careflow/flow"
)

// ActionFunc executes one action of a node for the current run. Problems with the flow content
// are logged as events; a returned error means the engine cannot go on.
type ActionFunc func(r *Run, node *flow.Node, a flow.Action) error

// RouterFunc picks a category for a node's router. A returned error fails the run/session.
type RouterFunc func(r *Run, node *flow.Node, router *flow.Router) (*Route, error)

// Route is what a router decided.
type Route struct {
	Category *flow.Category
	Operand  string // the operand as text (segment operand, result input)
	Match    string
	Extra    []byte // JSON object or nil
}

var (
	actions = map[string]ActionFunc{}
	routers = map[string]RouterFunc{}
)

// RegisterAction registers the executor for an action type.
func RegisterAction(name string, fn ActionFunc) {
	if _, dup := actions[name]; dup {
		panic("engine: action registered twice: " + name)
	}
	actions[name] = fn
}

// RegisterRouter registers the implementation of a router type.
func RegisterRouter(name string, fn RouterFunc) {
	if _, dup := routers[name]; dup {
		panic("engine: router registered twice: " + name)
	}
	routers[name] = fn
}

// RegisteredActions lists the action types with executors.
func RegisteredActions() []string {
	out := make([]string, 0, len(actions))
	for n := range actions {
		out = append(out, n)
	}
	return out
}

func executeAction(r *Run, node *flow.Node, a flow.Action) error {
	fn := actions[a.Type()]
	if fn == nil {
		return fmt.Errorf("no executor registered for action type %s", a.Type())
	}
	return fn(r, node, a)
}
