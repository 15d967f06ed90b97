package runtime

import (
	"testing"
	"time"

	"careflow/store"
)

// TestNextScheduleFire: once, daily, weekly on chosen days and monthly (clamped to short
// months), all at the start's local time in the workspace's timezone, across a DST change.
func TestNextScheduleFire(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no timezone data")
	}
	start := time.Date(2026, 3, 6, 14, 0, 0, 0, time.UTC) // Friday 09:00 in New York (EST)
	utc := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
	cases := []struct {
		name  string
		s     store.Schedule
		after time.Time
		want  time.Time
	}{
		{"once before start", store.Schedule{Repeat: "O", Start: start}, utc(2026, 3, 1, 0), start},
		{"once after start", store.Schedule{Repeat: "O", Start: start}, start, time.Time{}},
		{"daily across DST keeps 09:00 local", store.Schedule{Repeat: "D", Start: start}, utc(2026, 3, 8, 12), utc(2026, 3, 8, 13)},
		{"daily later the same day", store.Schedule{Repeat: "D", Start: start}, utc(2026, 3, 6, 14), utc(2026, 3, 7, 14)},
		{"weekly on Monday and Wednesday", store.Schedule{Repeat: "W", Start: start, DaysOfWeek: "MW"}, start, utc(2026, 3, 9, 13)},
		{"weekly Wednesday next", store.Schedule{Repeat: "W", Start: start, DaysOfWeek: "MW"}, utc(2026, 3, 9, 13), utc(2026, 3, 11, 13)},
		{"weekly Sunday", store.Schedule{Repeat: "W", Start: start, DaysOfWeek: "U"}, start, utc(2026, 3, 8, 13)},
		{"monthly", store.Schedule{Repeat: "M", Start: start}, start, utc(2026, 4, 6, 13)},
		{"monthly on the 31st in April", store.Schedule{Repeat: "M", Start: time.Date(2026, 1, 31, 14, 0, 0, 0, time.UTC)}, utc(2026, 4, 1, 0), utc(2026, 4, 30, 13)},
	}
	for _, c := range cases {
		got := nextScheduleFire(&c.s, ny, c.after)
		switch {
		case c.want.IsZero() && got != nil:
			t.Errorf("%s: got %s, want never", c.name, got)
		case !c.want.IsZero() && (got == nil || !got.Equal(c.want)):
			t.Errorf("%s: got %v, want %s", c.name, got, c.want)
		}
	}
}
