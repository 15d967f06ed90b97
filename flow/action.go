package flow

import "careflow/internal/typereg"

// Action is one action of a node. Concrete types are the pointer structs in this package (one
// file per type: SendMsg in send_msg.go ...); Type returns the wire name, which is also the key
// under which the type is registered.
type Action interface {
	// Type returns the action's wire type name, e.g. "send_msg".
	Type() string
	// UUID returns the action's UUID.
	UUID() ActionUUID
	// FlowTypes returns the flow types in which the action may appear.
	FlowTypes() []Type

	// check reports field-level problems found while reading.
	check(c *checker)
	// validate reports problems found when validating the whole flow (after reading).
	validate() error
	// inspect reports the action's asset references, locals, results and templates.
	inspect(v *visitor)
}

// BaseAction holds what every action has. It is embedded in each concrete action.
type BaseAction struct {
	ActionType string     `json:"type"`
	ActionUUID ActionUUID `json:"uuid"`
}

// Type returns the action's wire type name.
func (a *BaseAction) Type() string { return a.ActionType }

// UUID returns the action's UUID.
func (a *BaseAction) UUID() ActionUUID { return a.ActionUUID }

func (a *BaseAction) checkBase(c *checker) {
	c.required("type", a.ActionType != "")
	c.uuid("uuid", string(a.ActionUUID), true)
}

func (a *BaseAction) validate() error { return nil }

// Which flow types each family of action may run in (spec §3.3).
var (
	universalTypes   = []Type{TypeMessaging, TypeMessagingBackground, TypeMessagingOffline, TypeVoice}
	interactiveTypes = []Type{TypeMessaging, TypeMessagingOffline, TypeVoice}
	onlineTypes      = []Type{TypeMessaging, TypeMessagingBackground, TypeVoice}
	voiceTypes       = []Type{TypeVoice}
)

type universalAction struct{}

func (universalAction) FlowTypes() []Type { return universalTypes }

type interactiveAction struct{}

func (interactiveAction) FlowTypes() []Type { return interactiveTypes }

type onlineAction struct{}

func (onlineAction) FlowTypes() []Type { return onlineTypes }

type voiceAction struct{}

func (voiceAction) FlowTypes() []Type { return voiceTypes }

// actionTypes maps each registered wire type name to a constructor of an empty value.
var actionTypes = typereg.New[Action]("flow: action type")

// registerAction adds an action type; registering a name twice is a programmer error.
func registerAction(name string, newFn func() Action) { actionTypes.Register(name, newFn) }

// ActionTypes returns the registered action type names, sorted.
func ActionTypes() []string { return actionTypes.Names() }

// ReadAction decodes one action from its JSON, checking its fields.
func ReadAction(data []byte) (Action, error) {
	a, err := actionTypes.Read(data)
	if err != nil {
		return nil, err
	}
	c := &checker{}
	a.check(c)
	if err := c.err(); err != nil {
		return nil, err
	}
	return a, nil
}

func allowedIn(a Action, t Type) bool {
	for _, ft := range a.FlowTypes() {
		if ft == t {
			return true
		}
	}
	return false
}
