package expr

import (
	"strconv"

	"github.com/shopspring/decimal"
)

func init() {
	registerFuncs([]builtin{
		{FunctionInfo{Name: "abs", Signature: "abs(number)", Summary: "Returns the absolute value.", Example: `@(abs(-5))` + " → `5`"}, 1, 1, fnAbs},
		{FunctionInfo{Name: "round", Signature: "round(number [, places])", Summary: "Rounds half away from zero to places (negative places round to tens, hundreds...).", Example: `@(round(2.5))` + " → `3`"}, 1, 2, rounder(func(d decimal.Decimal, p int32) decimal.Decimal { return d.Round(p) })},
		{FunctionInfo{Name: "round_up", Signature: "round_up(number [, places])", Summary: "Rounds towards positive infinity.", Example: `@(round_up(1.21, 1))` + " → `1.3`"}, 1, 2, rounder(func(d decimal.Decimal, p int32) decimal.Decimal { return d.RoundCeil(p) })},
		{FunctionInfo{Name: "round_down", Signature: "round_down(number [, places])", Summary: "Rounds towards negative infinity.", Example: `@(round_down(1.29, 1))` + " → `1.2`"}, 1, 2, rounder(func(d decimal.Decimal, p int32) decimal.Decimal { return d.RoundFloor(p) })},
		{FunctionInfo{Name: "max", Signature: "max(numbers...)", Summary: "Returns the largest number.", Example: `@(max(1, 3, 2))` + " → `3`"}, 1, -1, extreme(func(a, b decimal.Decimal) bool { return a.GreaterThan(b) })},
		{FunctionInfo{Name: "min", Signature: "min(numbers...)", Summary: "Returns the smallest number.", Example: `@(min(1, 3, 2))` + " → `1`"}, 1, -1, extreme(func(a, b decimal.Decimal) bool { return a.LessThan(b) })},
		{FunctionInfo{Name: "mean", Signature: "mean(numbers...)", Summary: "Returns the arithmetic mean.", Example: `@(mean(1, 2, 6))` + " → `3`"}, 1, -1, fnMean},
		{FunctionInfo{Name: "mod", Signature: "mod(dividend, divisor)", Summary: "Returns the remainder, with the sign of the dividend.", Example: `@(mod(5, 3))` + " → `2`"}, 2, 2, fnMod},
		{FunctionInfo{Name: "rand", Signature: "rand()", Summary: "Returns a random number in [0, 1).", Example: `@(rand())`}, 0, 0, fnRand},
		{FunctionInfo{Name: "rand_between", Signature: "rand_between(min, max)", Summary: "Returns a random integer in the inclusive range.", Example: `@(rand_between(1, 10))`}, 2, 2, fnRandBetween},
	})
}

func itoa(i int) string { return strconv.Itoa(i) }

// maxRoundPlaces bounds the places argument of the rounding functions.
const maxRoundPlaces = 1000

func numbers(env *Environment, args []Value) ([]decimal.Decimal, *Error) {
	out := make([]decimal.Decimal, len(args))
	for i, a := range args {
		d, err := ToNumber(env, a)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// fnAbs returns the absolute value.
func fnAbs(env *Environment, args []Value) Value {
	d, err := ToNumber(env, args[0])
	if err != nil {
		return err
	}
	return Number{d: d.Abs()}
}

// rounder builds round, round_up and round_down.
func rounder(f func(decimal.Decimal, int32) decimal.Decimal) func(*Environment, []Value) Value {
	return func(env *Environment, args []Value) Value {
		d, err := ToNumber(env, args[0])
		if err != nil {
			return err
		}
		places, err := optInt(env, args, 1, 0)
		if err != nil {
			return err
		}
		// numbers have at most 36 digits within ±1e100, so more places than this change nothing
		places = min(max(places, -maxRoundPlaces), maxRoundPlaces)
		return checkedNumber(f(d, int32(places)))
	}
}

// extreme builds max and min.
func extreme(better func(a, b decimal.Decimal) bool) func(*Environment, []Value) Value {
	return func(env *Environment, args []Value) Value {
		ds, err := numbers(env, args)
		if err != nil {
			return err
		}
		best := ds[0]
		for _, d := range ds[1:] {
			if better(d, best) {
				best = d
			}
		}
		return Number{d: best}
	}
}

// fnMean returns the arithmetic mean.
func fnMean(env *Environment, args []Value) Value {
	ds, err := numbers(env, args)
	if err != nil {
		return err
	}
	sum := decimal.Zero
	for _, d := range ds {
		sum = sum.Add(d)
	}
	return checkedNumber(sum.DivRound(decimal.NewFromInt(int64(len(ds))), 16))
}

// fnMod returns the remainder with the sign of the dividend.
func fnMod(env *Environment, args []Value) Value {
	ds, err := numbers(env, args)
	if err != nil {
		return err
	}
	if ds[1].IsZero() {
		return errDivByZero
	}
	return checkedNumber(ds[0].Mod(ds[1]))
}

// fnRand returns the next random number from the injected source.
func fnRand(env *Environment, args []Value) Value {
	if env.Random == nil {
		return Number{d: decimal.Zero}
	}
	return Number{d: decimal.NewFromFloat(env.Random.Float64())}
}

// fnRandBetween returns a random integer in [min, max].
func fnRandBetween(env *Environment, args []Value) Value {
	ds, err := numbers(env, args)
	if err != nil {
		return err
	}
	lo, hi := ds[0], ds[1]
	if env.Random == nil {
		return Number{d: lo}
	}
	span := hi.Sub(lo).Add(decimal.NewFromInt(1))
	// floor(r × span + min), in that order as the reference does: a fractional min shifts
	// the range before flooring, so the result is always a whole number
	r := decimal.NewFromFloat(env.Random.Float64())
	return checkedNumber(r.Mul(span).Add(lo).Floor())
}
