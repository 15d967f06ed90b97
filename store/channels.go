package store

import (
	"context"
	"time"
)

// ChannelLog is one request to or from a provider, kept for a bounded time for admins to read.
// Secrets are redacted by the channel before it is stored.
type ChannelLog struct {
	ID          int64
	WorkspaceID int64
	ChannelUUID string
	MsgUUID     string
	// Type is msg_send, msg_receive, msg_status, event_receive, webhook_verify or media_fetch.
	Type       string
	Method     string
	URL        string
	StatusCode int
	Request    string
	Response   string
	Error      string
	ElapsedMS  int
	CreatedOn  time.Time
}

// ChannelMedia is an attachment a channel received and keeps, served to flows by URL.
type ChannelMedia struct {
	UUID        string
	WorkspaceID int64
	ChannelUUID string
	ContentType string
	Data        []byte
	CreatedOn   time.Time
}

// ChannelStore holds what channels need beyond the outbox: message look-ups for status
// callbacks and de-duplication, the send budget shared by the nodes, logs and media.
type ChannelStore interface {
	// GetMsgByUUID returns a message by UUID, or ErrNotFound.
	GetMsgByUUID(ctx context.Context, uuid string) (*Msg, error)
	// GetMsgByExternalID returns the newest incoming or outgoing message of a channel with a
	// provider's id, or ErrNotFound.
	GetMsgByExternalID(ctx context.Context, channelUUID, externalID string, incoming bool) (*Msg, error)
	// TakeSendBudget grants up to want sends of the channel in the given epoch second, so that
	// all nodes together stay within tps; it returns how many were granted (0 to want).
	TakeSendBudget(ctx context.Context, channelUUID string, second int64, want, tps int) (int, error)
	// AddChannelLogs stores logs, setting their IDs.
	AddChannelLogs(ctx context.Context, logs []*ChannelLog) error
	// ListChannelLogs returns a channel's logs newest first, with ID below beforeID when set.
	ListChannelLogs(ctx context.Context, channelUUID string, beforeID int64, limit int) ([]*ChannelLog, error)
	// PruneChannelLogs deletes logs and send budgets older than before (media stay: messages
	// point at them).
	PruneChannelLogs(ctx context.Context, before time.Time) (int64, error)
	// SaveMedia stores an attachment.
	SaveMedia(ctx context.Context, m *ChannelMedia) error
	// GetMedia returns an attachment by UUID, or ErrNotFound.
	GetMedia(ctx context.Context, uuid string) (*ChannelMedia, error)
}

// OutboxReleaser gives back leased outgoing messages unchanged (a sender that took more than
// its send budget allowed).
type OutboxReleaser interface {
	ReleaseOutgoing(ctx context.Context, ids []int64) error
}
