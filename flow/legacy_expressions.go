package flow

import (
	"careflow/expr"
	"careflow/flow/legacy"
)

// The expression package migrates legacy templates; reading legacy definitions uses it unless
// a ReadConfig supplies another migrator.
func init() {
	DefaultLegacyExpressions = func(t string, o legacy.ExprOptions) (string, error) {
		return expr.MigrateLegacyTemplate(t, expr.LegacyOptions{URLEncode: o.URLEncode, DefaultToSelf: o.DefaultToSelf, RawDates: o.RawDates})
	}
}
