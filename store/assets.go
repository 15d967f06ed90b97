package store

import (
	"context"
	"encoding/json"
	"time"
)

// Field is a contact field definition. Type is one of text, number, datetime, state,
// district, ward.
type Field struct {
	WorkspaceID int64
	UUID        string
	Key         string
	Name        string
	Type        string
	CreatedOn   time.Time
}

// Group is a contact group; a non-empty Query makes it a smart group whose members the
// runtime keeps in step with the query.
type Group struct {
	ID          int64
	WorkspaceID int64
	UUID        string
	Name        string
	Query       string
	// Status is "ready", or "evaluating" while a smart group's members are being recomputed.
	Status    string
	CreatedOn time.Time
}

// Global is a workspace-wide value, read in flows as @globals.key.
type Global struct {
	WorkspaceID int64
	Key         string
	Name        string
	Value       string
	ModifiedOn  time.Time
}

// Trigger starts a flow when something happens (runtime.md §2.3–2.4).
type Trigger struct {
	ID          int64
	WorkspaceID int64
	UUID        string
	// Type is keyword, catch_all, new_conversation, missed_call, incoming_call, referral,
	// schedule or closed_ticket.
	Type      string
	FlowUUID  string
	Keywords  []string
	MatchType string // "first_word" or "only_word" for keyword triggers
	// ChannelUUID restricts the trigger to messages/events on one channel; "" for any.
	ChannelUUID   string
	ReferrerID    string
	GroupUUIDs    []string // the contact must be in one of these (if any)
	ExcludeGroups []string // the contact must be in none of these
	// Schedule is the schedule of a schedule trigger (owned by the campaigns work).
	Schedule  json.RawMessage
	Archived  bool
	CreatedOn time.Time
}

// Channel is a way to reach contacts: the test channel, or a provider (issue: channels).
type Channel struct {
	ID          int64
	WorkspaceID int64
	UUID        string
	Type        string // "TEST", "EX", "T", ...
	Name        string
	Address     string
	Country     string
	Schemes     []string
	Roles       []string // "send", "receive", "call", "answer"
	// Config is the type's settings as a JSON object; secrets in it are sealed by the caller.
	Config    json.RawMessage
	TPS       int
	Deleted   bool
	CreatedOn time.Time
}

// AssetStore keeps what flows refer to: fields, groups, globals, triggers and channels.
type AssetStore interface {
	// SaveField creates or updates a field by key (name and type); it sets UUID and CreatedOn
	// when created.
	SaveField(ctx context.Context, f *Field) error
	// ListFields returns the workspace's fields by key.
	ListFields(ctx context.Context, workspaceID int64) ([]*Field, error)
	// DeleteField removes a field (its values stay on contacts, unread) and, in the same
	// transaction, the campaign events relative to it with their fires, which could never
	// fire again; ErrNotFound.
	DeleteField(ctx context.Context, workspaceID int64, key string) error

	// SaveGroup creates (ID 0) or updates (by ID) a group; ErrConflict when the name or UUID
	// is taken in the workspace.
	SaveGroup(ctx context.Context, g *Group) error
	// ListGroups returns the workspace's groups by name.
	ListGroups(ctx context.Context, workspaceID int64) ([]*Group, error)
	// DeleteGroup removes a group and its memberships; ErrNotFound.
	DeleteGroup(ctx context.Context, workspaceID int64, id int64) error
	// SetGroupMembers makes the group's members exactly contactIDs (a smart group's
	// re-evaluation), in one transaction, and sets its status to ready. It returns the
	// contacts added and removed.
	//
	// It and AddGroupMembers, RemoveGroupMembers call resched (nil: none) for every contact
	// whose membership changes, with the contact as it was and as it is after the change,
	// and write its fire changes in the same transaction as the membership.
	SetGroupMembers(ctx context.Context, groupID int64, contactIDs []int64, resched Reschedule) (added, removed []int64, err error)
	// AddGroupMembers and RemoveGroupMembers change a manual group's members.
	AddGroupMembers(ctx context.Context, groupID int64, contactIDs []int64, resched Reschedule) error
	RemoveGroupMembers(ctx context.Context, groupID int64, contactIDs []int64, resched Reschedule) error

	// SetGlobal creates or updates a global by key.
	SetGlobal(ctx context.Context, g *Global) error
	// ListGlobals returns the workspace's globals by key.
	ListGlobals(ctx context.Context, workspaceID int64) ([]*Global, error)
	// DeleteGlobal removes a global; ErrNotFound.
	DeleteGlobal(ctx context.Context, workspaceID int64, key string) error

	// SaveTrigger creates (ID 0) or updates a trigger; it sets ID, UUID and CreatedOn.
	SaveTrigger(ctx context.Context, t *Trigger) error
	// ListTriggers returns the workspace's triggers by ID, archived ones only when asked.
	ListTriggers(ctx context.Context, workspaceID int64, archived bool) ([]*Trigger, error)
	// DeleteTrigger removes a trigger; ErrNotFound.
	DeleteTrigger(ctx context.Context, workspaceID int64, uuid string) error

	// SaveChannel creates (ID 0) or updates a channel; it sets ID and CreatedOn.
	SaveChannel(ctx context.Context, c *Channel) error
	// GetChannel returns a channel by UUID (any workspace), deleted ones included, or
	// ErrNotFound.
	GetChannel(ctx context.Context, uuid string) (*Channel, error)
	// ListChannels returns the workspace's live channels by ID.
	ListChannels(ctx context.Context, workspaceID int64) ([]*Channel, error)
}
