package event

// TypeEmailSent is emitted when an email was sent.
const TypeEmailSent = "email_sent"

// EmailSent is emitted when an email was sent.
type EmailSent struct {
	Base
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	Body    string   `json:"body"`
}

// NewEmailSent builds the event.
func NewEmailSent(to []string, subject, body string) *EmailSent {
	return &EmailSent{Base: base(TypeEmailSent), To: to, Subject: subject, Body: body}
}

func init() { register(TypeEmailSent, func() Event { return &EmailSent{} }) }
