package flow

// TypeSetContactLanguage is the wire name of SetContactLanguage.
const TypeSetContactLanguage = "set_contact_language"

// SetContactLanguage sets the contact's language to Language (a template evaluating to an ISO
// 639-3 code; empty clears it).
//
//	{"type": "set_contact_language", "uuid": "…", "language": "eng"}
type SetContactLanguage struct {
	BaseAction
	universalAction
	Language string `json:"language"`
}

func init() {
	registerAction(TypeSetContactLanguage, func() Action { return &SetContactLanguage{} })
}

func (a *SetContactLanguage) check(c *checker) {
	a.checkBase(c)
	c.maxLen("language", a.Language, 1000)
}

func (a *SetContactLanguage) inspect(v *visitor) {
	v.tpl(a.Language)
}
