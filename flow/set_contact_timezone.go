package flow

// TypeSetContactTimezone is the wire name of SetContactTimezone.
const TypeSetContactTimezone = "set_contact_timezone"

// SetContactTimezone sets the contact's timezone to Timezone (a template evaluating to an IANA
// zone name; empty clears it).
//
//	{"type": "set_contact_timezone", "uuid": "…", "timezone": "Africa/Kigali"}
type SetContactTimezone struct {
	BaseAction
	universalAction
	Timezone string `json:"timezone"`
}

func init() {
	registerAction(TypeSetContactTimezone, func() Action { return &SetContactTimezone{} })
}

func (a *SetContactTimezone) check(c *checker) {
	a.checkBase(c)
	c.maxLen("timezone", a.Timezone, 1000)
}

func (a *SetContactTimezone) inspect(v *visitor) {
	v.tpl(a.Timezone)
}
