package flow

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

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

// maxAirtimeAmount bounds each amount (10^15).
var maxAirtimeAmount = decimal.New(1, 15)

var errNumberRange = errors.New("number value is out of permitted range")

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

// validate bounds each amount to 0..10^15. Absurd exponents are rejected first, since an
// untrusted definition could carry numbers that are cheap to parse but costly to compute with.
func (a *TransferAirtime) validate() error {
	for _, cur := range sortedKeys(a.Amounts) {
		d, err := decimal.NewFromString(a.Amounts[cur].String())
		if err != nil {
			return fmt.Errorf("amount for '%s' is not a number: %w", cur, err)
		}
		if !d.IsZero() {
			if exp := int64(d.Exponent()) + int64(d.NumDigits()) - 1; exp > 100 || exp < -100 {
				return fmt.Errorf("amount for '%s' is out of range: %w", cur, errNumberRange)
			}
		}
		if d.IsNegative() || d.GreaterThan(maxAirtimeAmount) {
			return fmt.Errorf("amount for '%s' is out of range", cur)
		}
	}
	return nil
}
