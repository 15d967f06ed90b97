package runtime

import (
	"encoding/json"
	"time"

	"careflow/store"
)

// campaignFireTime is when an event fires for a contact whose relative date is base
// (runtime.md §4), in the workspace's location: seconds rounded up to the minute, minutes and
// hours added as durations, days and weeks as calendar days (so the local time of day stays
// put across a DST change), the delivery hour replacing the time of day. ok is false when the
// result is not after now: events never fire retroactively.
func campaignFireTime(e *store.CampaignEvent, loc *time.Location, base, now time.Time) (time.Time, bool) {
	t := base.In(loc)
	if rounded := t.Truncate(time.Minute); !rounded.Equal(t) {
		t = rounded.Add(time.Minute)
	}
	switch e.Unit {
	case store.CampaignUnitMinutes:
		t = t.Add(time.Duration(e.Offset) * time.Minute)
	case store.CampaignUnitHours:
		t = t.Add(time.Duration(e.Offset) * time.Hour)
	case store.CampaignUnitDays:
		t = t.AddDate(0, 0, e.Offset)
	case store.CampaignUnitWeeks:
		t = t.AddDate(0, 0, 7*e.Offset)
	default:
		return time.Time{}, false
	}
	if e.DeliveryHour >= 0 {
		t = time.Date(t.Year(), t.Month(), t.Day(), e.DeliveryHour, 0, 0, 0, loc)
	}
	if !t.After(now) {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// campaignBase is the date an event is relative to for a contact, if it has one.
func campaignBase(relativeTo string, createdOn time.Time, lastSeenOn *time.Time, fields map[string]*fieldDate) (time.Time, bool) {
	switch relativeTo {
	case store.CampaignRelativeCreatedOn:
		return createdOn, !createdOn.IsZero()
	case store.CampaignRelativeLastSeenOn:
		if lastSeenOn == nil || lastSeenOn.IsZero() {
			return time.Time{}, false
		}
		return *lastSeenOn, true
	}
	if v := fields[relativeTo]; v != nil && v.Datetime != nil {
		return *v.Datetime, true
	}
	return time.Time{}, false
}

// fieldDate is the one part of a stored field value scheduling reads.
type fieldDate struct {
	Datetime *time.Time `json:"datetime,omitempty"`
}

// readFieldDates reads the datetime parts of a stored contact's fields JSON; a value that is
// not a date simply has none.
func readFieldDates(raw json.RawMessage) map[string]*fieldDate {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var m map[string]*fieldDate
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}
