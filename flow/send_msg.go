package flow

// TypeSendMsg is the wire name of SendMsg.
const TypeSendMsg = "send_msg"

// SendMsg sends a message to the contact: localized, evaluated text, attachments and quick
// replies, optionally as a message template.
//
//	{"type": "send_msg", "uuid": "…", "text": "Hi @contact.name", "quick_replies": ["Yes", "No"]}
type SendMsg struct {
	BaseAction
	universalAction
	MsgContent
}

func init() { registerAction(TypeSendMsg, func() Action { return &SendMsg{} }) }

func (a *SendMsg) check(c *checker) {
	a.checkBase(c)
	a.checkContent(c)
}

func (a *SendMsg) inspect(v *visitor) {
	a.inspectContent(v)
	a.contentTemplates(v, string(a.UUID()))
}
