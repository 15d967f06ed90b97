package trigger

import (
	"careflow/engine"
	"careflow/engine/event"
	"careflow/expr"
	"careflow/flow"
)

// TypeTicket is a session started by a ticket being closed.
const TypeTicket = "ticket"

func init() {
	engine.RegisterTrigger(TypeTicket, &engine.TriggerType{
		Read: func(t *engine.Trigger, a *engine.Assets) []string {
			if e, ok := engine.ReadEventOfType(t.Event, event.TypeTicketClosed); ok {
				t.Parsed = e
			}
			if t.Ticket == nil {
				return []string{"field 'ticket' is required"}
			}
			return nil
		},
		Context: func(t *engine.Trigger, o *expr.Object, a *engine.Assets) {
			if t.Ticket == nil {
				return
			}
			tk := expr.NewObject().Set("uuid", expr.Text(t.Ticket.UUID))
			if tp := t.Ticket.Topic; tp != nil {
				tk.Set("topic", expr.NewObject().SetDefault(expr.Text(tp.Name)).Set("uuid", expr.Text(tp.UUID)).Set("name", expr.Text(tp.Name)))
			} else {
				tk.Set("topic", nil)
			}
			tk.Set("assignee", assignee(t.Ticket.Assignee, a))
			o.Set("ticket", tk)
		},
	})
}

func assignee(u *flow.UserRef, a *engine.Assets) expr.Value {
	if u == nil {
		return nil
	}
	name, email := u.Name, u.Email
	if au := a.User(u.UUID); au != nil {
		name, email = au.Name, au.Email
	}
	return expr.NewObject().SetDefault(expr.Text(name)).Set("email", expr.Text(email)).Set("name", expr.Text(name))
}
