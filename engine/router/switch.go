package router

import (
	"encoding/json"
	"fmt"

	"careflow/engine"
	"careflow/expr"
	"careflow/flow"
)

// TypeSwitch routes on the first case whose test matches the operand.
const TypeSwitch = "switch"

func init() { engine.RegisterRouter(TypeSwitch, routeSwitch) }

func routeSwitch(r *engine.Run, node *flow.Node, router *flow.Router) (*engine.Route, error) {
	env := r.Session().Env()
	operand, _ := r.EvaluateValue(router.Operand)
	operandText := ""
	if operand != nil {
		if t, err := expr.ToText(env, operand); err == nil {
			operandText = t
		}
	}
	for _, c := range router.Cases {
		args := c.Arguments
		if loc, _ := r.Localize(string(c.UUID), "arguments", c.Arguments); len(loc) == len(c.Arguments) {
			args = loc
		}
		values := make([]expr.Value, 0, len(args)+1)
		values = append(values, operand)
		for _, a := range args {
			v, _ := r.EvaluateValue(a)
			values = append(values, v)
		}
		res, err := expr.CallTest(r.Session().Env(), c.Type, values)
		if err != nil {
			r.LogError(fmt.Sprintf("Error calling test %s(...): %s", c.Type, err.Error()), "", nil)
			continue
		}
		if !res.Matched {
			continue
		}
		cat := router.Category(c.CategoryUUID)
		match := ""
		if res.Match != nil {
			match, _ = expr.ToText(env, res.Match)
		}
		var extra []byte
		if res.Extra != nil {
			if b, err := json.Marshal(res.Extra); err == nil {
				extra = b
			}
		}
		return &engine.Route{Category: cat, Operand: operandText, Match: match, Extra: extra}, nil
	}
	if router.DefaultCategoryUUID != "" {
		return &engine.Route{Category: router.Category(router.DefaultCategoryUUID), Operand: operandText, Match: operandText}, nil
	}
	return nil, nil
}
