package flow

// TypeEnterFlow is the wire name of EnterFlow.
const TypeEnterFlow = "enter_flow"

// EnterFlow starts Flow as a child run; when Terminal, all current runs end first.
//
//	{"type": "enter_flow", "uuid": "…", "flow": {"uuid": "…", "name": "Collect Age"}}
type EnterFlow struct {
	BaseAction
	universalAction
	Flow     *FlowRef `json:"flow"`
	Terminal bool     `json:"terminal,omitempty"`
}

func init() { registerAction(TypeEnterFlow, func() Action { return &EnterFlow{} }) }

func (a *EnterFlow) check(c *checker) {
	a.checkBase(c)
	if a.Flow == nil {
		c.fail("flow", "is required")
	} else {
		checkRef(c, "flow", true, string(a.Flow.UUID), a.Flow.Name, 64)
	}
}

func (a *EnterFlow) inspect(v *visitor) {
	if a.Flow != nil {
		v.ref(&Dependency{Type: "flow", UUID: string(a.Flow.UUID), Name: a.Flow.Name})
	}
}
