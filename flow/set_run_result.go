package flow

// TypeSetRunResult is the wire name of SetRunResult.
const TypeSetRunResult = "set_run_result"

// SetRunResult saves a result Name with Value (a template) and Category (localizable).
//
//	{"type": "set_run_result", "uuid": "…", "name": "Gender", "value": "m", "category": "Male"}
type SetRunResult struct {
	BaseAction
	universalAction
	Name     string `json:"name"`
	Value    string `json:"value"`
	Category string `json:"category,omitempty"`
}

func init() { registerAction(TypeSetRunResult, func() Action { return &SetRunResult{} }) }

func (a *SetRunResult) check(c *checker) {
	a.checkBase(c)
	checkResultName(c, "name", a.Name, true)
	c.maxLen("value", a.Value, 10000)
	if len([]rune(a.Category)) > 64 {
		c.fail("category", "is not a valid result category")
	}
}

func (a *SetRunResult) inspect(v *visitor) {
	categories := []string{}
	if a.Category != "" {
		categories = []string{a.Category}
	}
	v.result(a.Name, categories)
	v.tpl(a.Value)
}
