package runtime

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"careflow/store"
)

// scheduleBatch is how many due schedules one round fires.
const scheduleBatch = 100

// ValidateSchedule checks a schedule's timing against the workspace's rules; the error is an
// *InvalidError naming the field.
func ValidateSchedule(s *store.Schedule) error {
	switch s.Repeat {
	case store.RepeatOnce, store.RepeatDaily, store.RepeatMonthly:
		s.DaysOfWeek = ""
	case store.RepeatWeekly:
		if s.DaysOfWeek == "" {
			return invalid("repeat_days_of_week: weekly schedules need at least one day")
		}
		for _, c := range s.DaysOfWeek {
			if !strings.ContainsRune(weekdayLetters, c) {
				return invalid("repeat_days_of_week: %q is not one of %s", string(c), weekdayLetters)
			}
		}
		if len(s.DaysOfWeek) > 7 {
			return invalid("repeat_days_of_week: at most seven days")
		}
	default:
		return invalid("repeat_period: must be once (O), daily (D), weekly (W) or monthly (M)")
	}
	if s.Start.IsZero() {
		return invalid("start: this field is required")
	}
	if y := s.Start.Year(); y < 2000 || y > 2200 {
		return invalid("start: must be between the years 2000 and 2200")
	}
	return nil
}

// SaveSchedule validates and stores a scheduled broadcast (Broadcast set) or scheduled
// trigger (FlowStart set: a flow start of type "trigger" each time it fires), computing its
// next fire in the workspace's timezone.
func (r *Runtime) SaveSchedule(ctx context.Context, s *store.Schedule) error {
	w, err := r.Workspace(ctx, s.WorkspaceID)
	if err != nil {
		return err
	}
	if err := ValidateSchedule(s); err != nil {
		return err
	}
	switch {
	case s.FlowStart != nil && s.Broadcast == nil:
		st := s.FlowStart
		f := w.Flows[st.FlowUUID]
		if f == nil || f.Archived {
			return invalid("flow: no such object: %s", st.FlowUUID)
		}
		st.Type = "trigger"
		if err := r.checkTemplateRecipients(ctx, w, &st.ContactUUIDs, &st.GroupUUIDs, &st.URNs, st.Query); err != nil {
			return err
		}
		for _, g := range st.ExcludeGroups {
			if w.Group(g) == nil {
				return invalid("exclude_groups: no such object: %s", g)
			}
		}
	case s.Broadcast != nil && s.FlowStart == nil:
		b := s.Broadcast
		var trs map[string]json.RawMessage
		if err := json.Unmarshal(b.Translations, &trs); err != nil || len(trs) == 0 {
			return invalid("text: this field is required")
		}
		if b.BaseLanguage == "" {
			for lang := range trs {
				if b.BaseLanguage == "" || lang < b.BaseLanguage {
					b.BaseLanguage = lang
				}
			}
		}
		if _, ok := trs[b.BaseLanguage]; !ok {
			return invalid("base_language: no translation in the base language %q", b.BaseLanguage)
		}
		if err := r.checkTemplateRecipients(ctx, w, &b.ContactUUIDs, &b.GroupUUIDs, &b.URNs, b.Query); err != nil {
			return err
		}
	default:
		return invalid("non_field_errors: a schedule fires either a flow or a message")
	}
	s.NextFire = nextScheduleFire(s, w.location(), r.Clock.Now())
	return r.Store.SaveSchedule(ctx, s)
}

func (r *Runtime) checkTemplateRecipients(ctx context.Context, w *Workspace, contacts, groups, urns *[]string, query string) error {
	rc := &Recipients{ContactUUIDs: *contacts, GroupUUIDs: *groups, URNs: *urns, Query: query}
	if err := r.checkRecipients(ctx, w, rc); err != nil {
		return err
	}
	if len(rc.ContactUUIDs)+len(rc.GroupUUIDs)+len(rc.URNs) == 0 && rc.Query == "" {
		return invalid("non_field_errors: must specify at least one group, contact, URN or query")
	}
	*contacts, *groups, *urns = rc.ContactUUIDs, rc.GroupUUIDs, rc.URNs
	return nil
}

// PauseSchedule pauses or resumes a schedule; a resumed schedule fires next at its next
// time from now (what it missed while paused is not made up).
func (r *Runtime) PauseSchedule(ctx context.Context, wsID int64, uuid string, paused bool) (*store.Schedule, error) {
	s, err := r.Store.GetSchedule(ctx, wsID, uuid)
	if err != nil {
		return nil, err
	}
	w, err := r.Workspace(ctx, wsID)
	if err != nil {
		return nil, err
	}
	s.Paused = paused
	if !paused {
		s.NextFire = nextScheduleFire(s, w.location(), r.Clock.Now())
	}
	return s, r.Store.SaveSchedule(ctx, s)
}

// FireSchedules fires the schedules due now (the poller calls it; tests moving a clock too).
// Each firing creates a pending flow start or broadcast in the transaction that moves the
// schedule on, so it happens once however many nodes poll.
func (r *Runtime) FireSchedules(ctx context.Context) (int, error) {
	now := r.Clock.Now()
	locs := map[int64]*time.Location{}
	next := func(s *store.Schedule) *time.Time {
		loc, ok := locs[s.WorkspaceID]
		if !ok {
			loc = time.UTC
			if w, err := r.Workspace(ctx, s.WorkspaceID); err == nil {
				loc = w.location()
			}
			locs[s.WorkspaceID] = loc
		}
		return nextScheduleFire(s, loc, now)
	}
	total := 0
	for {
		n, err := r.Store.FireDueSchedules(ctx, now, scheduleBatch, next)
		total += n
		if err != nil {
			return total, err
		}
		if n < scheduleBatch {
			break
		}
	}
	if total > 0 {
		r.wakeResolvers()
	}
	return total, nil
}

// schedulePoller fires due schedules every so often (mailroom's fire_schedules cron runs
// every minute; schedules are set to the minute, so polling every few seconds is on time).
func (r *Runtime) schedulePoller(ctx context.Context) {
	for ctx.Err() == nil {
		if _, err := r.FireSchedules(ctx); err != nil {
			r.Log.Error("firing schedules", "error", err)
		}
		if !sleep(ctx, r.timerPollEvery()*5, nil) {
			return
		}
	}
}
