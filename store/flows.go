package store

import (
	"context"
	"encoding/json"
	"time"
)

// Flow is a stored flow: its current definition (at the spec it was saved with) and what is
// derived from it for listing.
type Flow struct {
	ID          int64
	WorkspaceID int64
	UUID        string
	Name        string
	Type        string // "messaging", "messaging_background", "messaging_offline", "voice"
	SpecVersion string
	// Revision counts saves, from 1; every save also keeps a FlowRevision.
	Revision        int
	Definition      json.RawMessage
	ExpireAfterMins int
	IgnoreTriggers  bool
	Archived        bool
	HasIssues       bool
	CreatedOn       time.Time
	ModifiedOn      time.Time
}

// FlowRevision is one saved version of a flow's definition.
type FlowRevision struct {
	FlowID      int64
	Revision    int
	Definition  json.RawMessage
	SpecVersion string
	CreatedBy   string
	CreatedOn   time.Time
}

// FlowStore keeps flows with their revisions.
type FlowStore interface {
	// SaveFlow creates the flow (f.ID 0, no flow with f.UUID in the workspace) or updates the
	// flow with f.UUID, storing a new revision numbered one past the current one; it sets f.ID,
	// f.Revision, f.CreatedOn and f.ModifiedOn. With expectRevision >= 0 an update whose
	// current revision differs fails with ErrConflict (concurrent edit). A name taken by
	// another flow of the workspace is ErrConflict too.
	SaveFlow(ctx context.Context, f *Flow, expectRevision int, user string) error
	// GetFlow returns a flow of the workspace by UUID, or ErrNotFound.
	GetFlow(ctx context.Context, workspaceID int64, uuid string) (*Flow, error)
	// GetFlowByName returns a flow by case-insensitive name, or ErrNotFound.
	GetFlowByName(ctx context.Context, workspaceID int64, name string) (*Flow, error)
	// ListFlows returns the workspace's flows by name, archived ones only when asked.
	ListFlows(ctx context.Context, workspaceID int64, archived bool) ([]*Flow, error)
	// SetFlowArchived archives or restores a flow; ErrNotFound.
	SetFlowArchived(ctx context.Context, workspaceID int64, uuid string, archived bool) error
	// ListFlowRevisions returns a flow's revisions newest first, at most limit (0: all).
	ListFlowRevisions(ctx context.Context, flowID int64, limit int) ([]*FlowRevision, error)
	// GetFlowRevision returns one revision, or ErrNotFound.
	GetFlowRevision(ctx context.Context, flowID int64, revision int) (*FlowRevision, error)
	// AssetsVersion returns a number that changes whenever any flow, trigger, field, group,
	// global or channel of the workspace changes, so caches of the workspace's assets can
	// check they are current with one cheap read.
	AssetsVersion(ctx context.Context, workspaceID int64) (int64, error)
}
