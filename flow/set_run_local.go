package flow

// TypeSetRunLocal is the wire name of SetRunLocal.
const TypeSetRunLocal = "set_run_local"

// Run local operations.
const (
	LocalSet       = "set"
	LocalIncrement = "increment"
	LocalClear     = "clear"
)

// SetRunLocal sets, increments or clears the run local Local (visible as @locals.<name>).
//
//	{"type": "set_run_local", "uuid": "…", "local": "count", "value": "1", "operation": "increment"}
type SetRunLocal struct {
	BaseAction
	universalAction
	Local     string `json:"local"`
	Value     string `json:"value,omitempty"`
	Operation string `json:"operation"`
}

func init() { registerAction(TypeSetRunLocal, func() Action { return &SetRunLocal{} }) }

func (a *SetRunLocal) check(c *checker) {
	a.checkBase(c)
	switch {
	case a.Local == "":
		c.fail("local", "is required")
	case !validLocalName(a.Local):
		c.fail("local", "is not a valid local variable name")
	}
	c.maxLen("value", a.Value, 1000)
	switch a.Operation {
	case "":
		c.fail("operation", "is required")
	case LocalSet, LocalIncrement, LocalClear:
	default:
		c.fail("operation", "failed tag 'eq=set|eq=increment|eq=clear'")
	}
}

func (a *SetRunLocal) inspect(v *visitor) {
	v.local(a.Local)
	v.tpl(a.Value)
}
