package router

import (
	"strconv"

	"careflow/engine"
	"careflow/flow"

	"github.com/shopspring/decimal"
)

// TypeRandom routes to a category drawn at random.
const TypeRandom = "random"

func init() { engine.RegisterRouter(TypeRandom, routeRandom) }

// routeRandom draws one number from the session's random source and picks the category at
// floor(r × n), the product taken in decimal arithmetic on the shortest decimal form of r as the
// reference does: a float product can round up to the next whole number (r just under 1/3,
// times 3), which would pick a different category than the reference for the same draw.
func routeRandom(r *engine.Run, node *flow.Node, router *flow.Router) (*engine.Route, error) {
	x := decimal.NewFromFloat(r.Session().Engine().Random.Float64())
	i := int(x.Mul(decimal.NewFromInt(int64(len(router.Categories)))).IntPart())
	return &engine.Route{Category: router.Categories[i], Operand: x.String(), Match: strconv.Itoa(i)}, nil
}
