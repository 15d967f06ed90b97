package flow

// TypeCallResthook is the wire name of CallResthook.
const TypeCallResthook = "call_resthook"

// CallResthook posts the run's payload to every subscriber of the resthook Resthook (a slug).
//
//	{"type": "call_resthook", "uuid": "…", "resthook": "new-registration"}
type CallResthook struct {
	BaseAction
	onlineAction
	Resthook   string `json:"resthook"`
	ResultName string `json:"result_name,omitempty"`
}

func init() { registerAction(TypeCallResthook, func() Action { return &CallResthook{} }) }

func (a *CallResthook) check(c *checker) {
	a.checkBase(c)
	c.reqLen("resthook", a.Resthook, 1000)
	checkResultName(c, "result_name", a.ResultName, false)
}

func (a *CallResthook) inspect(v *visitor) {
	if a.ResultName != "" {
		v.result(a.ResultName, webhookCategories)
	}
}
