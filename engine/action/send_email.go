package action

import (
	"fmt"
	"strings"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

func init() {
	register(flow.TypeSendEmail, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.SendEmail)
		id := string(act.UUID())
		subjTpl, _ := r.LocalizeText(id, "subject", act.Subject)
		bodyTpl, _ := r.LocalizeText(id, "body", act.Body)
		subject, _ := r.EvaluateText(subjTpl)
		subject = strings.Join(strings.Fields(subject), " ")
		if subject == "" {
			r.LogError("Email subject evaluated to empty string, skipping", "", nil)
			return nil
		}
		body, _ := r.EvaluateText(bodyTpl)
		if body == "" {
			r.LogError("Email body evaluated to empty string, skipping", "", nil)
			return nil
		}
		var to []string
		for _, tpl := range act.Addresses {
			addr, _ := trimmed(r, tpl)
			if addr == "" {
				r.LogError("Email address evaluated to empty string, skipping", "", nil)
				continue
			}
			to = append(to, strings.TrimPrefix(addr, "mailto:"))
		}
		if len(to) == 0 {
			return nil
		}
		svc := r.Session().Engine().Email
		if svc == nil {
			r.LogError("Unable to send email: no email service configured", "", nil)
			return nil
		}
		if err := svc.Send(to, subject, body); err != nil {
			r.LogError(fmt.Sprintf("Unable to send email: %s", err.Error()), "", nil)
			return nil
		}
		r.Log(event.NewEmailSent(to, subject, body))
		return nil
	})
}
