package store

import (
	"context"
	"time"
)

// APIToken is a key for RapidPro's API v2, bound to one user in one workspace. Only the
// SHA-256 of the key is kept; the key itself is shown once, when made.
type APIToken struct {
	Hash        string // hex SHA-256 of the key
	WorkspaceID int64
	UserName    string
	// Prefix is the key's first characters, so its owner can tell tokens apart; "" for
	// tokens made before prefixes were kept.
	Prefix    string
	CreatedOn time.Time
}

// APITokenPage asks for one page of a workspace's tokens, newest first (created_on then
// hash, descending); a non-zero BeforeCreated continues after that token in that order.
type APITokenPage struct {
	User          string // one user's tokens; "" for every user's
	BeforeCreated time.Time
	BeforeHash    string
	Limit         int
}

// ContactPage asks for one page of a workspace's contacts in the API's order: modified_on
// then ID, newest first (or oldest first with Reverse). A non-zero AfterModified/AfterID
// continues after that contact in that order.
type ContactPage struct {
	Reverse        bool
	AfterModified  time.Time
	AfterID        int64
	ModifiedAfter  time.Time // inclusive; zero for none
	ModifiedBefore time.Time // inclusive; zero for none
	GroupID        int64     // members of this group only; 0 for all
	Limit          int
}

// APIStore keeps what only the API needs.
type APIStore interface {
	// CreateAPIToken stores a token; ErrConflict when the hash exists.
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// GetAPIToken returns the token with that hash, or ErrNotFound.
	GetAPIToken(ctx context.Context, hash string) (*APIToken, error)
	// ListAPITokens returns a user's tokens in a workspace, oldest first.
	ListAPITokens(ctx context.Context, workspaceID int64, user string) ([]*APIToken, error)
	// PageAPITokens returns one page of a workspace's tokens (the console's list).
	PageAPITokens(ctx context.Context, workspaceID int64, q APITokenPage) ([]*APIToken, error)
	// DeleteAPIToken removes a token; ErrNotFound.
	DeleteAPIToken(ctx context.Context, hash string) error
	// ListContactsPage returns one page of contacts with URNs and groups.
	ListContactsPage(ctx context.Context, workspaceID int64, q ContactPage) ([]*Contact, error)
	// ContactTaskDone reports whether a contact task has been handled (it is no longer queued).
	ContactTaskDone(ctx context.Context, id int64) (bool, error)
	// CountRuns counts a workspace's runs by flow UUID and status.
	CountRuns(ctx context.Context, workspaceID int64) (map[string]map[string]int64, error)
}

// TaskModify is a contact task that applies engine modifiers to the contact (the API's
// contact updates and actions), so the change is serialised with the contact's other work.
// Its Payload is {"modifiers": [modifier JSON, ...], "interrupt": bool}.
const TaskModify = "modify"

// Label is a message label.
type Label struct {
	ID          int64
	WorkspaceID int64
	UUID        string
	Name        string
	CreatedOn   time.Time
}

// LabelStore keeps message labels and the API's changes to incoming messages.
type LabelStore interface {
	// SaveLabel creates (ID 0) or renames a label; ErrConflict when the name (any case) or
	// UUID is taken in the workspace.
	SaveLabel(ctx context.Context, l *Label) error
	// ListLabels returns the workspace's labels by ID.
	ListLabels(ctx context.Context, workspaceID int64) ([]*Label, error)
	// DeleteLabel removes a label and takes it off every message; ErrNotFound.
	DeleteLabel(ctx context.Context, workspaceID int64, l *Label) error
	// CountLabelled counts visible messages per label UUID.
	CountLabelled(ctx context.Context, workspaceID int64) (map[string]int64, error)
	// GetMsgsForAPI returns the workspace's messages with these IDs or UUIDs.
	GetMsgsForAPI(ctx context.Context, workspaceID int64, ids []int64, uuids []string) ([]*Msg, error)
	// LabelMsgs adds (or removes) a label UUID on messages, in one transaction.
	LabelMsgs(ctx context.Context, workspaceID int64, msgIDs []int64, labelUUID string, add bool) error
	// SetMsgsVisibility sets visible, archived or deleted on messages.
	SetMsgsVisibility(ctx context.Context, workspaceID int64, msgIDs []int64, visibility string) error
}
