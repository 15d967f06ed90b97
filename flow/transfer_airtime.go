package flow

import "encoding/json"

// TypeTransferAirtime is the wire name of TransferAirtime.
const TypeTransferAirtime = "transfer_airtime"

// TransferAirtime sends airtime to the contact's phone: Amounts maps currency codes to decimal
// amounts, kept as written (json.Number) so they round-trip exactly.
//
//	{"type": "transfer_airtime", "uuid": "…", "amounts": {"RWF": 500, "USD": 0.5}}
type TransferAirtime struct {
	BaseAction
	onlineAction
	Amounts map[string]json.Number `json:"amounts"`
}

func init() { registerAction(TypeTransferAirtime, func() Action { return &TransferAirtime{} }) }

func (a *TransferAirtime) check(c *checker) {
	a.checkBase(c)
	c.required("amounts", a.Amounts != nil)
	if len(a.Amounts) > 100 {
		c.fail("amounts", "must have a maximum of 100 items")
	}
	for cur := range a.Amounts {
		c.maxLen("amounts["+cur+"]", cur, 8)
	}
}

func (a *TransferAirtime) inspect(v *visitor) {
	v.local("_new_transfer")
}
