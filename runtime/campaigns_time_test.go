package runtime

import (
	"testing"
	"time"

	"careflow/store"
)

// TestCampaignFireTime covers runtime.md §4's calculation: every unit, negative offsets, the
// delivery hour, rounding up to the minute, a DST change and a time already past.
func TestCampaignFireTime(t *testing.T) {
	nairobi, _ := time.LoadLocation("Africa/Nairobi") // UTC+3, no DST
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no timezone data")
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	base := time.Date(2026, 3, 1, 6, 30, 0, 0, time.UTC) // 09:30 in Nairobi
	ev := func(offset int, unit string, hour int) *store.CampaignEvent {
		return &store.CampaignEvent{Offset: offset, Unit: unit, DeliveryHour: hour}
	}
	cases := []struct {
		name string
		e    *store.CampaignEvent
		loc  *time.Location
		base time.Time
		want time.Time // zero: no fire
	}{
		{"minutes", ev(15, "M", -1), nairobi, base, base.Add(15 * time.Minute)},
		{"hours", ev(5, "H", -1), nairobi, base, base.Add(5 * time.Hour)},
		{"days", ev(2, "D", -1), nairobi, base, base.AddDate(0, 0, 2)},
		{"weeks", ev(2, "W", -1), nairobi, base, base.AddDate(0, 0, 14)},
		{"negative hours", ev(-3, "H", -1), nairobi, base, base.Add(-3 * time.Hour)},
		{"negative days past", ev(-1, "D", -1), nairobi, base, time.Time{}},
		{"negative minutes to exactly now", ev(-390, "M", -1), nairobi, base, time.Time{}},
		{"delivery hour in the workspace zone", ev(1, "D", 8), nairobi, base, time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)},
		{"delivery hour zero", ev(0, "D", 0), nairobi, base.Add(24 * time.Hour), time.Date(2026, 3, 1, 21, 0, 0, 0, time.UTC)},
		{"seconds round up", ev(1, "M", -1), nairobi, base.Add(10 * time.Second), base.Add(2 * time.Minute)},
		{"sub-seconds round up", ev(0, "M", -1), nairobi, base.Add(time.Millisecond), base.Add(time.Minute)},
		// New York moves to daylight time on 8 March 2026: 09:00 local stays 09:00 local.
		{"days across DST keep local time", ev(7, "D", -1), ny, time.Date(2026, 3, 5, 14, 0, 0, 0, time.UTC), time.Date(2026, 3, 12, 13, 0, 0, 0, time.UTC)},
		{"hours across DST are elapsed time", ev(168, "H", -1), ny, time.Date(2026, 3, 5, 14, 0, 0, 0, time.UTC), time.Date(2026, 3, 12, 14, 0, 0, 0, time.UTC)},
		{"delivery hour after DST", ev(1, "W", 10), ny, time.Date(2026, 3, 5, 14, 0, 0, 0, time.UTC), time.Date(2026, 3, 12, 14, 0, 0, 0, time.UTC)},
		{"past", ev(1, "D", -1), nairobi, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Time{}},
		{"bad unit", ev(1, "Y", -1), nairobi, base, time.Time{}},
	}
	for _, c := range cases {
		got, ok := campaignFireTime(c.e, c.loc, c.base, now)
		if c.want.IsZero() {
			if ok {
				t.Errorf("%s: fired at %s, want no fire", c.name, got)
			}
			continue
		}
		if !ok || !got.Equal(c.want) {
			t.Errorf("%s: got %s %v, want %s", c.name, got, ok, c.want)
		}
	}
}

func TestParseCampaignScope(t *testing.T) {
	id, v, ok := parseCampaignScope(store.CampaignScope(42, 7))
	if !ok || id != 42 || v != 7 {
		t.Fatalf("got %d %d %v", id, v, ok)
	}
	for _, bad := range []string{"", "42", "x:1", "1:y"} {
		if _, _, ok := parseCampaignScope(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}
