package action

import (
	"fmt"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

const maxAncestorsSinceInput = 5

func init() {
	register(flow.TypeStartSession, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.StartSession)
		s := r.Session()
		f, err := s.Assets().Flow(act.Flow.UUID)
		if err != nil || f == nil {
			missing(r, "flow", string(act.Flow.UUID), fmt.Sprintf("uuid=%s,name=%s", act.Flow.UUID, act.Flow.Name))
			return nil
		}
		rc := resolveRecipients(r, &act.Recipients)
		if s.Batch() && (len(rc.groups) > 0 || rc.query != "") {
			r.LogError("Can't start new sessions for groups or queries during batch starts", "", nil)
			return nil
		}
		hist := s.Trigger.History
		if hist == nil {
			hist = &event.History{}
		}
		if hist.AncestorsSinceInput >= maxAncestorsSinceInput {
			r.LogError("Too many sessions have been spawned since the last time input was received", "", nil)
			return nil
		}
		if rc.empty() && !act.CreateContact {
			return nil
		}
		hadInput := false
		for _, run := range s.Runs {
			if run.HadInput {
				hadInput = true
			}
		}
		next := &event.History{ParentUUID: s.UUID, Ancestors: hist.Ancestors + 1}
		if !hadInput {
			next.AncestorsSinceInput = hist.AncestorsSinceInput + 1
		}
		e := event.NewSessionTriggered()
		e.Flow = f.Reference(false)
		e.Groups, e.Contacts, e.ContactQuery, e.URNs = rc.groups, rc.contacts, rc.query, rc.urns
		e.Exclusions = event.Exclusions{InAFlow: act.Exclusions.InAFlow}
		e.CreateContact = act.CreateContact
		e.RunSummary = r.RunSummary()
		e.History = next
		r.Log(e)
		return nil
	})
}
