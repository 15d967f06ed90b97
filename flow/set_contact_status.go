package flow

// TypeSetContactStatus is the wire name of SetContactStatus.
const TypeSetContactStatus = "set_contact_status"

// SetContactStatus sets the contact's status: active, blocked, stopped or archived.
//
//	{"type": "set_contact_status", "uuid": "…", "status": "blocked"}
type SetContactStatus struct {
	BaseAction
	universalAction
	Status string `json:"status"`
}

func init() { registerAction(TypeSetContactStatus, func() Action { return &SetContactStatus{} }) }

func (a *SetContactStatus) check(c *checker) {
	a.checkBase(c)
	switch a.Status {
	case "active", "blocked", "stopped", "archived":
	default:
		c.fail("status", "is not a valid contact status")
	}
}

func (a *SetContactStatus) inspect(v *visitor) {}
