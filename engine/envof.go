package engine

import "careflow/expr"

func envOf(v interface{}) *expr.Environment {
	if e, ok := v.(*expr.Environment); ok && e != nil {
		return e
	}
	return expr.NewEnvironment(nil)
}
