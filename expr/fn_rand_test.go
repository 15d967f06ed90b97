package expr_test

import (
	"testing"

	"careflow/expr"
)

// oneDraw answers every Float64 with the same number.
type oneDraw float64

func (d oneDraw) Float64() float64 { return float64(d) }
func (d oneDraw) IntN(n int) int   { return int(float64(d) * float64(n)) }

// TestRandBetweenFloorsAfterAddingMin: the reference computes floor(r × span + min), so a
// fractional min still gives a whole number (flooring first and adding min would give 2.5).
func TestRandBetweenFloorsAfterAddingMin(t *testing.T) {
	env := expr.NewEnvironment(nil)
	env.Random = oneDraw(0.5)
	cases := []struct{ tpl, want string }{
		{"@(rand_between(1.5, 3))", "2"},  // span 2.5: 0.5 × 2.5 + 1.5 = 2.75 → 2 (not 1 + 1.5)
		{"@(rand_between(1, 10))", "6"},   // 0.5 × 10 + 1
		{"@(rand_between(-3, -1))", "-2"}, // 0.5 × 3 - 3 = -1.5 → -2
		{"@(rand())", "0.5"},
	}
	for _, tc := range cases {
		got, _ := expr.EvaluateTemplate(env, expr.NewObject(), tc.tpl, nil)
		if got != tc.want {
			t.Errorf("%s = %s, want %s", tc.tpl, got, tc.want)
		}
	}
}
