package flow

// TypeRequestOptIn is the wire name of RequestOptIn.
const TypeRequestOptIn = "request_optin"

// RequestOptIn is deprecated: opt-in requests are no longer supported and running it only logs
// an error.
//
//	{"type": "request_optin", "uuid": "…", "optin": {"uuid": "…", "name": "Joke Of The Day"}}
type RequestOptIn struct {
	BaseAction
	onlineAction
	OptIn *OptInRef `json:"optin"`
}

func init() { registerAction(TypeRequestOptIn, func() Action { return &RequestOptIn{} }) }

func (a *RequestOptIn) check(c *checker) {
	a.checkBase(c)
	if a.OptIn == nil {
		c.fail("optin", "is required")
	} else {
		checkRef(c, "optin", true, a.OptIn.UUID, a.OptIn.Name, 64)
	}
}

func (a *RequestOptIn) inspect(v *visitor) {}
