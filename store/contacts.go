package store

import (
	"context"
	"encoding/json"
	"time"

	"careflow/contactql"
)

// Contact is a messaging contact with its URNs and group memberships.
type Contact struct {
	ID          int64
	WorkspaceID int64
	UUID        string
	Name        string
	Language    string
	Status      string // active, blocked, stopped, archived
	Timezone    string
	CreatedOn   time.Time
	ModifiedOn  time.Time
	LastSeenOn  *time.Time
	// Fields maps field key to the engine's field value JSON ({"text": ..., "number": ...,
	// "datetime": ..., "state": ..., ...}), so values of every type can be queried.
	Fields json.RawMessage
	// URNs are in priority order (the first is preferred).
	URNs []ContactURN
	// Groups are the IDs of the groups the contact is in.
	Groups []int64
	// CurrentSessionUUID and CurrentFlowUUID name the contact's waiting session, if any.
	CurrentSessionUUID string
	CurrentFlowUUID    string
}

// ContactURN is one URN of a contact. Identity ("scheme:path") is unique per workspace.
type ContactURN struct {
	Identity    string
	Display     string
	ChannelUUID string // channel affinity
}

// NewContactURN asks for the contact owning Identity, creating it (with Name and Language)
// when no contact has that URN.
type NewContactURN struct {
	Identity    string
	Display     string
	ChannelUUID string
	Name        string
	Language    string
}

// ContactFilter selects contact IDs of a workspace; members left zero do not filter.
type ContactFilter struct {
	UUIDs  []string
	IDs    []int64
	Groups []int64 // in any of these
	// Active keeps only contacts with status active.
	Active bool
	// NotInFlow keeps only contacts without a waiting session.
	NotInFlow bool
	// NotStartedFlow keeps only contacts with no run of that flow created since NotStartedSince.
	NotStartedFlow  string
	NotStartedSince time.Time
	// SeenSince keeps only contacts last seen after it.
	SeenSince     time.Time
	ExcludeGroups []int64
}

// ContactQuery runs a parsed contact query over a workspace's stored contacts.
type ContactQuery struct {
	// Query must have been parsed with the workspace's assets (its resolver names the groups
	// and flows conditions refer to).
	Query *contactql.Query
	// Groups gives the stored ID of each of the workspace's groups by UUID.
	Groups map[string]int64
	// AfterID and Limit page through the candidates by ascending ID; Limit 0 returns them all.
	AfterID int64
	Limit   int
	// Active keeps only active contacts (the members a smart group may have).
	Active bool
}

// ContactCandidate is a contact a query may match. Sure says the database decided it
// matches; otherwise the caller evaluates the query on it (contactql.Evaluate is the
// reference, and SQL can't fold Unicode case, for one).
type ContactCandidate struct {
	ID   int64
	Sure bool
}

// ContactStore keeps contacts.
type ContactStore interface {
	// GetOrCreateContacts returns, for each requested URN, the ID of the contact owning it and
	// whether it was created, creating contacts for unknown URNs, in one transaction. URN
	// identities must already be normalised.
	GetOrCreateContacts(ctx context.Context, workspaceID int64, urns []NewContactURN, now time.Time) (ids []int64, created []bool, err error)
	// CreateContact inserts c with its URNs and groups, setting ID (and UUID, CreatedOn when
	// empty); ErrConflict when a URN belongs to another contact. resched (nil: none) is
	// called with a nil before and its fire changes are written in the same transaction.
	CreateContact(ctx context.Context, c *Contact, resched Reschedule) error
	// UpdateContact writes c's name, language, status, timezone, fields, last seen and its
	// URNs and groups as given; ErrConflict when a URN belongs to another contact. resched
	// (nil: none) is called with the contact as stored before the write, read in the same
	// transaction, and its fire changes are written there too.
	UpdateContact(ctx context.Context, c *Contact, resched Reschedule) error
	// GetContacts loads contacts of the workspace by ID, with URNs and groups, in ID order;
	// missing IDs are left out.
	GetContacts(ctx context.Context, workspaceID int64, ids []int64) ([]*Contact, error)
	// GetContactByUUID loads one contact, or ErrNotFound.
	GetContactByUUID(ctx context.Context, workspaceID int64, uuid string) (*Contact, error)
	// ContactIDForURN returns the ID of the contact with that URN identity, or ErrNotFound.
	ContactIDForURN(ctx context.Context, workspaceID int64, identity string) (int64, error)
	// FindContactIDs returns the IDs selected by f, ascending.
	FindContactIDs(ctx context.Context, workspaceID int64, f ContactFilter) ([]int64, error)
	// ScanContacts returns up to limit contacts with ID > afterID, ascending, with URNs and
	// groups (for evaluating queries over every contact).
	ScanContacts(ctx context.Context, workspaceID, afterID int64, limit int) ([]*Contact, error)
	// QueryContacts returns the candidates of a contact query: every contact that matches it is
	// among them (see ContactCandidate).
	QueryContacts(ctx context.Context, workspaceID int64, q ContactQuery) ([]ContactCandidate, error)
	// DeleteContact removes a contact with its URNs, memberships, sessions, runs, messages,
	// tasks and fires; ErrNotFound.
	DeleteContact(ctx context.Context, workspaceID, id int64) error
	// CountContacts counts the workspace's contacts.
	CountContacts(ctx context.Context, workspaceID int64) (int64, error)
}
