package runtime

import (
	"strings"
	"time"

	"careflow/store"
)

// weekdayLetters are RapidPro's day letters, Monday first.
const weekdayLetters = "MTWRFSU"

func letterOf(d time.Weekday) byte { return weekdayLetters[(int(d)+6)%7] }

// nextScheduleFire is the first time after `after` that the schedule fires, in loc: the start
// itself, then (for repeats) the start's local time of day on each following day, chosen
// weekday or the start's day of the month (the month's last day when it is shorter). Local
// times skipped or repeated by a DST change resolve as Go's time.Date does. nil: never.
func nextScheduleFire(s *store.Schedule, loc *time.Location, after time.Time) *time.Time {
	start := s.Start.In(loc)
	if start.After(after) {
		t := start.UTC()
		return &t
	}
	if s.Repeat == store.RepeatOnce {
		return nil
	}
	at := func(y int, m time.Month, d int) time.Time {
		return time.Date(y, m, d, start.Hour(), start.Minute(), start.Second(), 0, loc)
	}
	from := after.In(loc)
	switch s.Repeat {
	case store.RepeatDaily, store.RepeatWeekly:
		if s.Repeat == store.RepeatWeekly && s.DaysOfWeek == "" {
			return nil
		}
		for i := 0; i <= 8; i++ {
			day := from.AddDate(0, 0, i)
			t := at(day.Year(), day.Month(), day.Day())
			if !t.After(after) || (s.Repeat == store.RepeatWeekly && !strings.ContainsRune(s.DaysOfWeek, rune(letterOf(t.Weekday())))) {
				continue
			}
			t = t.UTC()
			return &t
		}
	case store.RepeatMonthly:
		for i := 0; i <= 2; i++ {
			first := time.Date(from.Year(), from.Month()+time.Month(i), 1, 0, 0, 0, 0, loc)
			d := min(start.Day(), daysIn(first.Year(), first.Month()))
			t := at(first.Year(), first.Month(), d)
			if t.After(after) {
				t = t.UTC()
				return &t
			}
		}
	}
	return nil
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }
