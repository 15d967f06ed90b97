package action

import (
	"fmt"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

const maxLLMOutputTokens = 2500

func init() {
	register(flow.TypeCallLLM, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.CallLLM)
		s := r.Session()
		llm := s.Assets().LLM(act.LLM.UUID)
		if llm == nil {
			missing(r, "llm", act.LLM.UUID, fmt.Sprintf("uuid=%s,name=%s", act.LLM.UUID, act.LLM.Name))
			r.SetLocal(act.OutputLocal, "<ERROR>")
			return nil
		}
		if !containsStr(llm.Roles, "engine") {
			r.LogError(fmt.Sprintf("LLM %s does not have the engine role", llm.UUID), "", nil)
			return nil
		}
		instructions, _ := r.EvaluateText(act.Instructions)
		input, _ := r.EvaluateText(act.Input)
		svc := s.Engine().LLM
		if svc == nil {
			r.LogError("no LLM service configured", "", nil)
			r.SetLocal(act.OutputLocal, "<ERROR>")
			return nil
		}
		start := s.Now()
		resp, err := svc.Complete(llm, instructions, input, maxLLMOutputTokens)
		if err != nil {
			r.LogError(err.Error(), "", nil)
			r.SetLocal(act.OutputLocal, "<ERROR>")
			return nil
		}
		e := event.NewLLMCalled()
		e.LLM = &flow.LLMRef{UUID: llm.UUID, Name: llm.Name}
		e.Instructions, e.Input, e.Output = instructions, input, resp.Output
		e.Tokens = event.Tokens{Input: resp.InputTokens, Output: resp.OutputTokens}
		e.ElapsedMS = int(s.Now().Sub(start).Milliseconds())
		r.Log(e)
		r.SetLocal(act.OutputLocal, resp.Output)
		return nil
	})
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
