package store

import (
	"context"
	"encoding/json"
	"time"
)

// Flow start statuses.
const (
	StartPending     = "pending"
	StartQueued      = "queued"
	StartStarted     = "started"
	StartCompleted   = "completed"
	StartFailed      = "failed"
	StartInterrupted = "interrupted"
)

// Exclusions leave contacts out of a start (runtime.md §1).
type Exclusions struct {
	NonActive         bool `json:"non_active,omitempty"`
	InAFlow           bool `json:"in_a_flow,omitempty"`
	StartedPreviously bool `json:"started_previously,omitempty"`
	NotSeenSinceDays  int  `json:"not_seen_since_days,omitempty"`
}

// FlowStart is a request to start a flow for contacts, groups, URNs and a query.
type FlowStart struct {
	ID          int64
	UUID        string
	WorkspaceID int64
	FlowUUID    string
	// Type is api, manual, trigger (scheduled trigger), campaign or flow (start_session).
	Type          string
	Status        string
	ContactUUIDs  []string
	GroupUUIDs    []string
	URNs          []string
	Query         string
	Exclusions    Exclusions
	ExcludeGroups []string
	Params        json.RawMessage
	// ParentSummary is the run summary of a start_session action's run (@parent).
	ParentSummary json.RawMessage
	// Idempotency, when set, is called inside CreateStart's transaction once the start has
	// its ID, and the record it returns is stored with the start; CreateStart fails with
	// ErrReplay when the record's key was taken (the start was made before).
	Idempotency  func(*FlowStart) *Idempotency `json:"-"`
	CreatedBy    string
	ContactCount int
	Remaining    int
	Error        string
	CreatedOn    time.Time
	ModifiedOn   time.Time
}

// Broadcast is a one-off message to contacts, groups, URNs and a query.
type Broadcast struct {
	ID           int64
	UUID         string
	WorkspaceID  int64
	Translations json.RawMessage // {lang: {"text", "attachments", "quick_replies"}}
	BaseLanguage string
	ContactUUIDs []string
	GroupUUIDs   []string
	URNs         []string
	Query        string
	Status       string // pending, queued, started, completed, failed, interrupted
	CreatedBy    string
	ContactCount int
	Remaining    int
	Error        string
	// ParentSession is set for broadcasts from a flow's send_broadcast action.
	ParentSession string
	CreatedOn     time.Time
	ModifiedOn    time.Time
}

// StartStore keeps flow starts and broadcasts. Both are resolved to contacts by the runtime
// and delivered as contact tasks, so one contact's start waits behind its other work.
type StartStore interface {
	// CreateStart inserts a start as pending; it sets ID, UUID (when empty), CreatedOn.
	CreateStart(ctx context.Context, s *FlowStart) error
	// GetStart returns a start by ID, or ErrNotFound.
	GetStart(ctx context.Context, id int64) (*FlowStart, error)
	// GetStarts returns starts by ID (for checking interruption while handling tasks).
	GetStarts(ctx context.Context, ids []int64) ([]*FlowStart, error)
	// ListStarts returns the workspace's starts newest first.
	ListStarts(ctx context.Context, workspaceID int64, beforeID int64, limit int) ([]*FlowStart, error)
	// ClaimPendingStart moves the oldest pending start (any workspace) to "starting" under a
	// lease and returns it, or nil when there is none. A start whose lease ran out (a node
	// died resolving it) is claimed again.
	ClaimPendingStart(ctx context.Context, owner string, now, leaseUntil time.Time) (*FlowStart, error)
	// QueueStart records a resolved start: one TaskStart per contact, the contact count and
	// status queued (completed when there are none), in one transaction.
	QueueStart(ctx context.Context, startID int64, contactIDs []int64, now time.Time) error
	// FailStart marks a start failed with an error text.
	FailStart(ctx context.Context, startID int64, errText string, now time.Time) error
	// InterruptStart marks a start interrupted; its remaining tasks then do nothing.
	InterruptStart(ctx context.Context, startID int64, now time.Time) error

	// CreateBroadcast, GetBroadcast, ListBroadcasts, ClaimPendingBroadcast, QueueBroadcast
	// and FailBroadcast are the same for broadcasts.
	CreateBroadcast(ctx context.Context, b *Broadcast) error
	GetBroadcast(ctx context.Context, id int64) (*Broadcast, error)
	GetBroadcasts(ctx context.Context, ids []int64) ([]*Broadcast, error)
	ListBroadcasts(ctx context.Context, workspaceID int64, beforeID int64, limit int) ([]*Broadcast, error)
	ClaimPendingBroadcast(ctx context.Context, owner string, now, leaseUntil time.Time) (*Broadcast, error)
	QueueBroadcast(ctx context.Context, broadcastID int64, contactIDs []int64, now time.Time) error
	FailBroadcast(ctx context.Context, broadcastID int64, errText string, now time.Time) error
}
