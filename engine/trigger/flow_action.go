package trigger

import "careflow/engine"

// TypeFlowAction is a session started by another session's start_session action; its run
// summary is the new session's @parent.
const TypeFlowAction = "flow_action"

func init() {
	engine.RegisterTrigger(TypeFlowAction, &engine.TriggerType{
		Read: func(t *engine.Trigger, a *engine.Assets) []string {
			if len(t.RunSummary) == 0 || string(t.RunSummary) == "null" {
				return []string{"field 'run_summary' is required"}
			}
			return nil
		},
	})
}
