package contactql

import (
	"slices"
	"testing"
	"time"

	"careflow/expr"
)

// TestTranslateHelpers: what a store's translation reads of a parsed query is what Evaluate
// compares with.
func TestTranslateHelpers(t *testing.T) {
	env := expr.NewEnvironment(nil)
	env.DateFormat = "YYYY-MM-DD"
	loc, _ := time.LoadLocation("Africa/Kigali")
	env.Timezone = loc
	assets := &Assets{Fields: []*Field{{Key: "age", Name: "Age", Type: TypeNumber}, {Key: "dob", Name: "DOB", Type: TypeDatetime}}}
	q, err := Parse(env, `age > 30.50 AND dob = 2020-01-02 AND created_on < "2020-01-02 18:00"`, assets)
	if err != nil {
		t.Fatal(err)
	}
	conds := q.Root().(*Combination).Children
	age, dob, created := conds[0].(*Condition), conds[1].(*Condition), conds[2].(*Condition)
	if n, ok := age.NumberValue(); !ok || n.String() != "30.5" || q.TypeOf(age) != TypeNumber {
		t.Fatalf("age: %v %v %v", n, ok, q.TypeOf(age))
	}
	if _, _, ok := age.DayRange(); ok {
		t.Fatal("a number has no day")
	}
	for _, c := range []*Condition{dob, created} {
		start, end, ok := c.DayRange()
		if !ok || !start.Equal(time.Date(2020, 1, 2, 0, 0, 0, 0, loc)) || !end.Equal(time.Date(2020, 1, 3, 0, 0, 0, 0, loc)) {
			t.Fatalf("%s: %v %v %v", c, start, end, ok)
		}
		if _, ok := c.NumberValue(); ok {
			t.Fatalf("%s: a date has no number", c)
		}
	}
	if got := NameSearchTokens(" Mary-JANE o'Brien x Bartholomew "); !slices.Equal(got, []string{"mary", "jane", "o'brien", "bartholo"}) {
		t.Fatalf("tokens %q", got)
	}
	if NormalText("  ÉLAN ") != "élan" {
		t.Fatal("NormalText")
	}
}
