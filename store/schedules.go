package store

import (
	"context"
	"time"
)

// Schedule repeat periods (RapidPro's codes).
const (
	RepeatOnce    = "O"
	RepeatDaily   = "D"
	RepeatWeekly  = "W"
	RepeatMonthly = "M"
)

// Schedule fires a flow start (a scheduled trigger) or a broadcast at times computed in the
// workspace's timezone (runtime.md §2.4).
type Schedule struct {
	ID          int64
	WorkspaceID int64
	UUID        string
	Repeat      string // Repeat*
	// Start is the first time it fires; daily, weekly and monthly repeats keep its local time
	// of day, and monthly ones its day of the month (or the month's last day).
	Start time.Time
	// DaysOfWeek are the days a weekly schedule fires: letters of "MTWRFSU" (Monday first).
	DaysOfWeek string
	Paused     bool
	// NextFire is when it fires next; nil once a one-off has fired.
	NextFire *time.Time
	LastFire *time.Time
	// Exactly one of FlowStart and Broadcast is the template of what each firing creates
	// (their IDs, statuses and counts are ignored).
	FlowStart  *FlowStart
	Broadcast  *Broadcast
	CreatedOn  time.Time
	ModifiedOn time.Time
}

// ScheduleStore keeps schedules.
type ScheduleStore interface {
	// SaveSchedule creates (ID 0) or updates (by ID) a schedule; it sets ID, UUID (when
	// empty), CreatedOn and ModifiedOn. ErrNotFound for an unknown ID.
	SaveSchedule(ctx context.Context, s *Schedule) error
	// GetSchedule returns a schedule by UUID, or ErrNotFound.
	GetSchedule(ctx context.Context, workspaceID int64, uuid string) (*Schedule, error)
	// ListSchedules returns the workspace's schedules (0: every workspace's) by next fire,
	// the ones that will not fire last.
	ListSchedules(ctx context.Context, workspaceID int64) ([]*Schedule, error)
	// DeleteSchedule removes a schedule; ErrNotFound.
	DeleteSchedule(ctx context.Context, workspaceID int64, uuid string) error
	// FireDueSchedules takes up to limit unpaused schedules due at now and, in one
	// transaction per round, creates each one's flow start or broadcast (pending, for the
	// resolvers) and moves its next fire to next(schedule) (nil: never again). Nodes sharing
	// a database never take the same schedule. It returns how many fired.
	FireDueSchedules(ctx context.Context, now time.Time, limit int, next func(*Schedule) *time.Time) (int, error)
}
