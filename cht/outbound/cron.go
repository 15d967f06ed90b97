package outbound

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Cron is a parsed 5-field cron expression as cron-validator 1.3.1 accepts it by default:
// numbers, ranges, lists and steps; no seconds, aliases, names or "?"; day of week 0–6.
type Cron struct {
	minute, hour, dom, month, dow uint64 // bit sets
}

var cronFields = []struct {
	name     string
	min, max int
}{{"minute", 0, 59}, {"hour", 0, 23}, {"day of month", 1, 31}, {"month", 1, 12}, {"day of week", 0, 6}}

// ParseCron parses expr, or says what is wrong with it.
func ParseCron(expr string) (*Cron, error) {
	parts := strings.Fields(expr)
	if len(parts) != 5 {
		return nil, fmt.Errorf("invalid cron expression %q: want 5 fields, got %d", expr, len(parts))
	}
	var sets [5]uint64
	for i, p := range parts {
		f := cronFields[i]
		set, err := parseCronField(p, f.min, f.max)
		if err != nil {
			return nil, fmt.Errorf("invalid cron expression %q: %s: %v", expr, f.name, err)
		}
		sets[i] = set
	}
	return &Cron{minute: sets[0], hour: sets[1], dom: sets[2], month: sets[3], dow: sets[4]}, nil
}

func parseCronField(s string, min, max int) (uint64, error) {
	var set uint64
	for _, item := range strings.Split(s, ",") {
		rng, step := item, 1
		if i := strings.IndexByte(item, '/'); i >= 0 {
			rng = item[:i]
			n, err := cronNumber(item[i+1:])
			if err != nil || n < 1 {
				return 0, fmt.Errorf("bad step in %q", item)
			}
			step = n
		}
		lo, hi := min, max
		switch {
		case rng == "*":
		case strings.Contains(rng, "-"):
			a, b, _ := strings.Cut(rng, "-")
			var err1, err2 error
			lo, err1 = cronNumber(a)
			hi, err2 = cronNumber(b)
			if err1 != nil || err2 != nil || lo > hi {
				return 0, fmt.Errorf("bad range %q", rng)
			}
		default:
			n, err := cronNumber(rng)
			if err != nil {
				return 0, fmt.Errorf("bad value %q", rng)
			}
			lo, hi = n, n
			if step > 1 {
				hi = max
			}
		}
		if lo < min || hi > max {
			return 0, fmt.Errorf("%q out of range %d-%d", item, min, max)
		}
		for v := lo; v <= hi; v += step {
			set |= 1 << uint(v)
		}
	}
	return set, nil
}

func cronNumber(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("empty")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("not a number")
		}
	}
	return strconv.Atoi(s)
}

// matches reports whether the minute starting at t is an occurrence (all fields must match,
// as the later library that CHT uses combines them).
func (c *Cron) matches(t time.Time) bool {
	return c.minute&(1<<uint(t.Minute())) != 0 &&
		c.hour&(1<<uint(t.Hour())) != 0 &&
		c.dom&(1<<uint(t.Day())) != 0 &&
		c.month&(1<<uint(t.Month())) != 0 &&
		c.dow&(1<<uint(t.Weekday())) != 0
}

// cronWindow is how close to an occurrence a cron push may be sent (CHT's isWithinTimeFrame).
const cronWindow = 5 * time.Minute

// Due reports whether now lies within five minutes (inclusive) of an occurrence, in now's
// time zone (CHT uses the server's local zone).
func (c *Cron) Due(now time.Time) bool {
	start := now.Add(-cronWindow).Truncate(time.Minute)
	if start.Before(now.Add(-cronWindow)) {
		start = start.Add(time.Minute)
	}
	for t := start; !t.After(now.Add(cronWindow)); t = t.Add(time.Minute) {
		if c.matches(t) {
			return true
		}
	}
	return false
}

// NextDue returns the earliest time ≥ now at which Due holds: now itself when it does, else five
// minutes before the next occurrence. It gives up (ok false) after five years.
func (c *Cron) NextDue(now time.Time) (time.Time, bool) {
	if c.Due(now) {
		return now, true
	}
	t := now.Truncate(time.Minute).Add(time.Minute)
	limit := now.AddDate(5, 0, 0)
	for t.Before(limit) {
		if c.month&(1<<uint(t.Month())) == 0 || c.dom&(1<<uint(t.Day())) == 0 || c.dow&(1<<uint(t.Weekday())) == 0 {
			y, m, d := t.Date()
			t = time.Date(y, m, d+1, 0, 0, 0, 0, t.Location())
			continue
		}
		if c.matches(t) {
			return t.Add(-cronWindow), true
		}
		t = t.Add(time.Minute)
	}
	return time.Time{}, false
}
