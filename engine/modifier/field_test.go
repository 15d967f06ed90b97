package modifier_test

import (
	"testing"
	"time"

	"careflow/engine/modifier"
	"careflow/expr"
)

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

// TestFieldValueDatetime: every field value is tried as a datetime as the reference does
// (any separator its date patterns take), with the current time of day when the text has none.
func TestFieldValueDatetime(t *testing.T) {
	env := expr.NewEnvironment(fixedClock(time.Date(2025, 5, 4, 12, 30, 45, 0, time.UTC)))
	env.DateFormat = "DD-MM-YYYY"
	cases := []struct{ text, want string }{
		{"03-04-2020", "2020-04-03T12:30:45Z"},
		{"3 4 2020", "2020-04-03T12:30:45Z"},
		{"born 03/04/2020 at 9:15", "2020-04-03T09:15:00Z"},
		{"blue", ""},
	}
	for _, tc := range cases {
		v := modifier.ParseFieldValue(env, tc.text)
		got := ""
		if v.Datetime != nil {
			got = v.Datetime.UTC().Format(time.RFC3339)
		}
		if got != tc.want {
			t.Errorf("%q: datetime %q, want %q", tc.text, got, tc.want)
		}
	}
}
