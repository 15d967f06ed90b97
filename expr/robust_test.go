package expr

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestFunctionsNeverPanic calls every function with every combination of up to three sample
// arguments of each type (and a sample of four-argument calls): functions must return values
// or errors, never panic.
func TestFunctionsNeverPanic(t *testing.T) {
	t.Parallel()
	env := mustEnv(t, "")
	env.Random = rand.New(rand.NewPCG(1, 2))
	env.Locations = NewLocations([]*Location{{Name: "Rwanda", Children: []*Location{{Name: "Kigali"}}}})
	samples := []Value{
		nil, Text(""), Text("a b c 12"), Text("-1"), Text("2020-01-02T03:04:05Z"), NumberFromInt(0),
		NumberFromInt(-1), NumberFromInt(3), NewNumber(mustDecimal(t, "2.5")), NumberFromInt(1 << 30),
		Boolean(true), NewArray(Text("x"), NumberFromInt(1)), NewObject().Set("a", Text("b")).SetDefault(Text("d")),
		NewDate(2020, 2, 29), NewDateTime(time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)), NewTime(13, 5, 0, 0),
		functions["upper"], NewError("boom"),
	}
	for _, f := range Functions() {
		fn := functions[f.Name]
		call := func(args ...Value) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("%s(%v) panicked: %v", f.Name, args, r)
				}
			}()
			fn.Call(env, args)
		}
		call()
		for _, a := range samples {
			call(a)
			for _, b := range samples {
				call(a, b)
				for _, c := range samples {
					call(a, b, c)
				}
				call(a, b, samples[2], samples[6])
			}
		}
	}
}

func mustDecimal(t testing.TB, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
