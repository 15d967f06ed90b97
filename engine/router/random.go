package router

import (
	"strconv"

	"careflow/engine"
	"careflow/flow"
)

// TypeRandom routes to a category drawn at random.
const TypeRandom = "random"

func init() { engine.RegisterRouter(TypeRandom, routeRandom) }

func routeRandom(r *engine.Run, node *flow.Node, router *flow.Router) (*engine.Route, error) {
	x := r.Session().Engine().Random.Float64()
	i := int(x * float64(len(router.Categories)))
	text := strconv.FormatFloat(x, 'f', -1, 64)
	return &engine.Route{Category: router.Categories[i], Operand: text, Match: strconv.Itoa(i)}, nil
}
