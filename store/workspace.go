package store

import (
	"context"
	"encoding/json"
	"time"
)

// Workspace is a messaging workspace (RapidPro's org): every messaging record belongs to one.
// Its settings become the flow engine's environment.
type Workspace struct {
	ID         int64
	UUID       string
	Name       string
	Timezone   string   // IANA name, e.g. "Africa/Nairobi"
	Country    string   // ISO 3166-1 alpha-2 default country, e.g. "KE"; "" for none
	Languages  []string // ISO 639-3 codes; the first is the default flow language
	DateFormat string   // "DD-MM-YYYY", "MM-DD-YYYY" or "YYYY-MM-DD"
	// Config holds workspace settings that are not columns (webhook policy, SMTP, LLM
	// endpoints), as a JSON object; nil means none.
	Config    json.RawMessage
	CreatedOn time.Time
}

// WorkspaceStore keeps workspaces.
type WorkspaceStore interface {
	// CreateWorkspace inserts w, setting its ID; ErrConflict when the UUID or the name is taken.
	CreateWorkspace(ctx context.Context, w *Workspace) error
	// UpdateWorkspace replaces the settings of w.ID (name, timezone, country, languages, date
	// format, config); ErrNotFound or ErrConflict (name taken).
	UpdateWorkspace(ctx context.Context, w *Workspace) error
	// GetWorkspace returns a workspace by ID, or ErrNotFound.
	GetWorkspace(ctx context.Context, id int64) (*Workspace, error)
	// GetWorkspaceByUUID returns a workspace by UUID, or ErrNotFound.
	GetWorkspaceByUUID(ctx context.Context, uuid string) (*Workspace, error)
	// ListWorkspaces returns every workspace by ID.
	ListWorkspaces(ctx context.Context) ([]*Workspace, error)
}
