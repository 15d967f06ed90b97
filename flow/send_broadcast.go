package flow

// TypeSendBroadcast is the wire name of SendBroadcast.
const TypeSendBroadcast = "send_broadcast"

// SendBroadcast sends a message to other contacts (groups, contacts, a query, URNs or legacy
// variables), evaluated once per flow language.
//
//	{"type": "send_broadcast", "uuid": "…", "text": "Hello", "groups": [{"uuid": "…", "name": "Testers"}]}
type SendBroadcast struct {
	BaseAction
	onlineAction
	Recipients
	MsgContent
}

func init() { registerAction(TypeSendBroadcast, func() Action { return &SendBroadcast{} }) }

func (a *SendBroadcast) check(c *checker) {
	a.checkBase(c)
	a.checkRecipients(c)
	a.checkContent(c)
}

func (a *SendBroadcast) inspect(v *visitor) {
	a.inspectRecipients(v)
	a.inspectContent(v)
	a.recipientTemplates(v)
	a.contentTemplates(v, string(a.UUID()))
}
