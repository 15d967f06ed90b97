package flow

// TypeCallLLM is the wire name of CallLLM.
const TypeCallLLM = "call_llm"

// CallLLM asks an LLM to follow Instructions on Input and stores the answer in the run local
// OutputLocal.
//
//	{"type": "call_llm", "uuid": "…", "llm": {"uuid": "…", "name": "GPT"}, "instructions": "Translate to French", "input": "@input.text", "output_local": "_llm_output"}
type CallLLM struct {
	BaseAction
	onlineAction
	LLM          *LLMRef `json:"llm"`
	Instructions string  `json:"instructions"`
	Input        string  `json:"input"`
	OutputLocal  string  `json:"output_local"`
}

func init() { registerAction(TypeCallLLM, func() Action { return &CallLLM{} }) }

func (a *CallLLM) check(c *checker) {
	a.checkBase(c)
	if a.LLM == nil {
		c.fail("llm", "is required")
	} else {
		checkRef(c, "llm", true, a.LLM.UUID, a.LLM.Name, 64)
	}
	c.reqLen("instructions", a.Instructions, 10000)
	c.maxLen("input", a.Input, 10000)
	switch {
	case a.OutputLocal == "":
		c.fail("output_local", "is required")
	case !validLocalName(a.OutputLocal):
		c.fail("output_local", "is not a valid local variable name")
	}
}

func (a *CallLLM) inspect(v *visitor) {
	if a.LLM != nil {
		v.ref(&Dependency{Type: "llm", UUID: a.LLM.UUID, Name: a.LLM.Name})
	}
	v.local(a.OutputLocal)
	v.tpl(a.Instructions, a.Input)
}
