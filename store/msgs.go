package store

import (
	"context"
	"time"
)

// Message statuses (runtime.md §8.1). Incoming messages are pending until handled.
const (
	MsgPending   = "pending"
	MsgHandled   = "handled"
	MsgQueued    = "queued"
	MsgWired     = "wired"
	MsgSent      = "sent"
	MsgDelivered = "delivered"
	MsgRead      = "read"
	MsgErrored   = "errored"
	MsgFailed    = "failed"
)

// Msg is an incoming or outgoing message.
type Msg struct {
	ID           int64
	UUID         string
	WorkspaceID  int64
	ContactID    int64
	URN          string // identity the message came from or goes to
	ChannelUUID  string
	Incoming     bool
	Text         string
	Attachments  []string
	QuickReplies []string
	Locale       string
	Status       string
	// Visibility is visible, archived or deleted.
	Visibility   string
	FlowUUID     string
	BroadcastID  int64
	ExternalID   string
	HighPriority bool
	Labels       []string
	CreatedOn    time.Time
	ModifiedOn   time.Time
	SentOn       *time.Time
	ErrorCount   int
	NextAttempt  *time.Time
	FailedReason string
}

// MsgStatusUpdate moves a message to a new status (a channel's send result or receipt).
type MsgStatusUpdate struct {
	ID           int64
	Status       string
	ExternalID   string // set when not empty
	FailedReason string
	NextAttempt  *time.Time // for errored: when to retry
	Now          time.Time
}

// MsgQuery selects messages of a workspace for listing, newest first.
type MsgQuery struct {
	ContactID   int64
	ChannelUUID string
	URN         string
	Incoming    *bool
	Statuses    []string
	AfterID     int64 // ID greater than
	BeforeID    int64 // ID less than (paging backwards from the newest)
	Limit       int   // 0: 100
}

// MsgStore keeps messages and the outbox that channels drain.
type MsgStore interface {
	// GetMsg returns a message by ID, or ErrNotFound.
	GetMsg(ctx context.Context, id int64) (*Msg, error)
	// ListMsgs returns the messages matching q, newest first.
	ListMsgs(ctx context.Context, workspaceID int64, q MsgQuery) ([]*Msg, error)
	// ClaimOutgoing leases up to limit queued (or errored and due) outgoing messages of a
	// channel to owner until leaseUntil, oldest first, high priority first.
	ClaimOutgoing(ctx context.Context, channelUUID, owner string, now, leaseUntil time.Time, limit int) ([]*Msg, error)
	// UpdateMsgStatuses applies status updates in one transaction and releases their leases.
	UpdateMsgStatuses(ctx context.Context, updates []MsgStatusUpdate) error
}
