package flow

// TypeSendEmail is the wire name of SendEmail.
const TypeSendEmail = "send_email"

// SendEmail sends an email to Addresses; all fields are templates, Subject and Body localizable.
//
//	{"type": "send_email", "uuid": "…", "addresses": ["@urns.mailto"], "subject": "Hi", "body": "Hello @contact.name"}
type SendEmail struct {
	BaseAction
	onlineAction
	Addresses []string `json:"addresses"`
	Subject   string   `json:"subject"`
	Body      string   `json:"body"`
}

func init() { registerAction(TypeSendEmail, func() Action { return &SendEmail{} }) }

func (a *SendEmail) check(c *checker) {
	a.checkBase(c)
	if a.Addresses == nil {
		c.fail("addresses", "is required")
	} else {
		c.minItems("addresses", len(a.Addresses), 1)
	}
	c.maxEach("addresses", a.Addresses, 1000)
	c.reqLen("subject", a.Subject, 1000)
	c.reqLen("body", a.Body, 10000)
}

func (a *SendEmail) inspect(v *visitor) {
	v.tpl(a.Addresses...)
	v.localized(string(a.UUID()), "subject", a.Subject)
	v.localized(string(a.UUID()), "body", a.Body)
}
