package store

import (
	"context"
	"encoding/json"
	"time"
)

// Resthook is a named event of a workspace that outside systems (Zapier and the like)
// subscribe to with a URL; a flow's call_resthook action posts its run to every subscriber.
// Slug is unique among a workspace's live resthooks.
type Resthook struct {
	ID          int64
	WorkspaceID int64
	Slug        string
	CreatedOn   time.Time
	// ModifiedOn moves when a subscriber is added or removed, as RapidPro's does.
	ModifiedOn time.Time
}

// ResthookSubscriber is a URL subscribed to a resthook. Removed subscribers are kept,
// inactive, as RapidPro keeps them; the store lists only live ones.
type ResthookSubscriber struct {
	ID          int64
	WorkspaceID int64
	// Resthook is the slug of the resthook subscribed to.
	Resthook  string
	TargetURL string
	CreatedOn time.Time
}

// ResthookEvent is the payload one call_resthook action posted, kept for the API's
// resthook_events list.
type ResthookEvent struct {
	ID          int64
	WorkspaceID int64
	Resthook    string // slug
	Data        json.RawMessage
	CreatedOn   time.Time
}

// ResthookUnsubscribe removes the subscriber of a workspace's resthook (by slug) with a URL:
// the subscriber answered 410 Gone.
type ResthookUnsubscribe struct {
	Resthook  string
	TargetURL string
}

// ResthookEventQuery selects resthook events, newest first; zero members do not filter.
type ResthookEventQuery struct {
	Resthook string
	BeforeID int64
	Limit    int
}

// ResthookStore keeps resthooks, their subscribers and the events flows posted to them.
// Every change to resthooks or subscribers moves the workspace's assets version (the engine
// reads them as assets).
type ResthookStore interface {
	// CreateResthook adds a live resthook (WorkspaceID, Slug) and sets its ID and times;
	// ErrConflict when the workspace has a live one with that slug.
	CreateResthook(ctx context.Context, r *Resthook) error
	// ListResthooks returns the workspace's live resthooks by slug.
	ListResthooks(ctx context.Context, workspaceID int64) ([]*Resthook, error)
	// DeleteResthook removes a live resthook and its subscribers (their events stay);
	// ErrNotFound.
	DeleteResthook(ctx context.Context, workspaceID int64, slug string) error

	// AddResthookSubscriber subscribes TargetURL to the workspace's live resthook named by
	// Resthook and sets the subscriber's ID and CreatedOn; ErrNotFound when there is no such
	// resthook, ErrConflict when the URL is already subscribed to it.
	AddResthookSubscriber(ctx context.Context, sub *ResthookSubscriber) error
	// ListResthookSubscribers returns the live subscribers of the workspace's live
	// resthooks by ID.
	ListResthookSubscribers(ctx context.Context, workspaceID int64) ([]*ResthookSubscriber, error)
	// RemoveResthookSubscriber removes a live subscriber by ID; ErrNotFound.
	RemoveResthookSubscriber(ctx context.Context, workspaceID int64, id int64) error

	// ListResthookEvents returns the workspace's resthook events, newest first.
	ListResthookEvents(ctx context.Context, workspaceID int64, q ResthookEventQuery) ([]*ResthookEvent, error)
	// DeleteResthookEventsBefore trims events created before a time; it returns how many.
	DeleteResthookEventsBefore(ctx context.Context, before time.Time) (int64, error)
}
