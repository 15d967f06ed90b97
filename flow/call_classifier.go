package flow

// TypeCallClassifier is the wire name of CallClassifier.
const TypeCallClassifier = "call_classifier"

// CallClassifier is deprecated: NLU classifiers are no longer supported. It still reads, logs a
// warning when run and saves a Failure result under ResultName.
//
//	{"type": "call_classifier", "uuid": "…", "input": "@input.text", "result_name": "Intent"}
type CallClassifier struct {
	BaseAction
	onlineAction
	Input      string `json:"input"`
	ResultName string `json:"result_name"`
}

func init() { registerAction(TypeCallClassifier, func() Action { return &CallClassifier{} }) }

func (a *CallClassifier) check(c *checker) {
	a.checkBase(c)
	c.reqLen("input", a.Input, 10000)
	checkResultName(c, "result_name", a.ResultName, true)
}

func (a *CallClassifier) inspect(v *visitor) {
	v.result(a.ResultName, []string{"Success", "Skipped", "Failure"})
	v.tpl(a.Input)
}
