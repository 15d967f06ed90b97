package expr

func init() {
	registerTests([]builtin{
		{FunctionInfo{Name: "has_date", Signature: "has_date(text)", Summary: "Tests whether text contains a date (env date format); match = the datetime, with the current time of day if none is given.", Example: `@(has_date("2001-03-02"))` + " → `true`"}, 1, 1, dateTest(nil)},
		{FunctionInfo{Name: "has_date_lt", Signature: "has_date_lt(text, date)", Summary: "Tests for a date before the given date.", Example: `@(has_date_lt("2001-03-02", "2001-12-01"))` + " → `true`"}, 2, 2, dateTest(func(a, b Date) bool { return a.t.Before(b.t) })},
		{FunctionInfo{Name: "has_date_eq", Signature: "has_date_eq(text, date)", Summary: "Tests for a date equal to the given date.", Example: `@(has_date_eq("2001-03-02 10:00", "2001-03-02"))` + " → `true`"}, 2, 2, dateTest(func(a, b Date) bool { return a.t.Equal(b.t) })},
		{FunctionInfo{Name: "has_date_gt", Signature: "has_date_gt(text, date)", Summary: "Tests for a date after the given date.", Example: `@(has_date_gt("2001-03-02", "2000-01-01"))` + " → `true`"}, 2, 2, dateTest(func(a, b Date) bool { return a.t.After(b.t) })},
		{FunctionInfo{Name: "has_time", Signature: "has_time(text)", Summary: "Tests whether text contains a time of day; match = the time.", Example: `@(has_time("at 3:15pm").match)` + " → `15:15:00.000000`"}, 1, 1, testHasTime},
	})
}

// dateTest builds the has_date family; cmp (nil for has_date) compares the found date with
// the argument's date, both in the environment's timezone.
func dateTest(cmp func(found, arg Date) bool) func(*Environment, []Value) Value {
	return func(env *Environment, args []Value) Value {
		s, err := ToText(env, args[0])
		if err != nil {
			return err
		}
		var argDate Date
		if cmp != nil {
			dt, err := ToDateTime(env, args[1])
			if err != nil {
				return err
			}
			argDate = DateOf(dt.t.In(env.location()))
		}
		found, ok := parseDateTimeText(env, s, true)
		if !ok {
			return testResult(false, nil, nil)
		}
		if cmp != nil && !cmp(DateOf(found.In(env.location())), argDate) {
			return testResult(false, nil, nil)
		}
		return testResult(true, DateTime{t: found}, nil)
	}
}

// testHasTime matches a time of day.
func testHasTime(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	t, ok := parseTimeText(s)
	if !ok {
		return testResult(false, nil, nil)
	}
	return testResult(true, t, nil)
}
