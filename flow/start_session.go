package flow

// TypeStartSession is the wire name of StartSession.
const TypeStartSession = "start_session"

// StartSession asks the caller to start other contacts (or a new contact) in Flow.
//
//	{"type": "start_session", "uuid": "…", "flow": {"uuid": "…", "name": "Registration"}, "contact_query": "age > 18"}
type StartSession struct {
	BaseAction
	onlineAction
	Recipients
	Flow          *FlowRef   `json:"flow"`
	Exclusions    Exclusions `json:"exclusions"`
	CreateContact bool       `json:"create_contact,omitempty"`
}

// Exclusions narrow who start_session starts.
type Exclusions struct {
	InAFlow bool `json:"in_a_flow,omitempty"`
}

func init() { registerAction(TypeStartSession, func() Action { return &StartSession{} }) }

func (a *StartSession) check(c *checker) {
	a.checkBase(c)
	a.checkRecipients(c)
	if a.Flow == nil {
		c.fail("flow", "is required")
	} else {
		checkRef(c, "flow", true, string(a.Flow.UUID), a.Flow.Name, 64)
	}
}

func (a *StartSession) inspect(v *visitor) {
	a.inspectRecipients(v)
	if a.Flow != nil {
		v.ref(&Dependency{Type: "flow", UUID: string(a.Flow.UUID), Name: a.Flow.Name})
	}
	a.recipientTemplates(v)
}
