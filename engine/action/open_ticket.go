package action

import (
	"fmt"
	"strings"

	"careflow/engine"
	"careflow/engine/modifier"
	"careflow/flow"
)

func init() {
	register(flow.TypeOpenTicket, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.OpenTicket)
		s := r.Session()
		r.SetLocal("_new_ticket", "")
		if s.Batch() {
			r.LogError("Can't open tickets during batch starts", "", nil)
			return nil
		}
		assets := s.Assets()
		var topic *engine.Topic
		if act.Topic != nil {
			topic = assets.Topic(act.Topic.UUID)
			if topic == nil {
				missing(r, "topic", act.Topic.UUID, fmt.Sprintf("uuid=%s,name=%s", act.Topic.UUID, act.Topic.Name))
				return nil
			}
		} else {
			topic = assets.TopicByName("General")
		}
		var assignee *flow.UserRef
		if u := act.Assignee; u != nil {
			if u.Email != "" {
				email, _ := trimmed(r, u.Email)
				if user := assets.UserByEmail(email); user != nil {
					assignee = &flow.UserRef{UUID: user.UUID, Name: user.Name}
				} else {
					r.LogError(fmt.Sprintf("No such user with email '%s'", email), "user:missing", map[string]string{"email": email})
				}
			} else if user := assets.User(u.UUID); user != nil {
				assignee = &flow.UserRef{UUID: user.UUID, Name: user.Name}
			} else {
				missing(r, "user", u.UUID, fmt.Sprintf("uuid=%s,name=%s", u.UUID, u.Name))
			}
		}
		note, _ := r.EvaluateText(act.Note)
		m := &modifier.TicketOpen{Assignee: assignee, Note: strings.TrimSpace(note)}
		if topic != nil {
			m.Topic = &flow.TopicRef{UUID: topic.UUID, Name: topic.Name}
		}
		if s.Apply(m) && m.Opened != nil {
			r.SetLocal("_new_ticket", m.Opened.UUID)
		} else {
			r.SetLocal("_new_ticket", "")
		}
		return nil
	})
}
