package store

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// Campaign event types, units, start modes and statuses (runtime.md §4; RapidPro's codes).
const (
	CampaignEventFlow    = "F" // start a flow
	CampaignEventMessage = "M" // send a message

	CampaignUnitMinutes = "M"
	CampaignUnitHours   = "H"
	CampaignUnitDays    = "D"
	CampaignUnitWeeks   = "W"

	CampaignStartInterrupt = "I" // interrupt the waiting session (the default)
	CampaignStartSkip      = "S" // leave contacts already in a flow alone
	CampaignStartPassive   = "P" // start/send without touching the waiting session

	CampaignEventReady      = "R"
	CampaignEventScheduling = "S"

	// Relative-to values that are contact attributes rather than fields.
	CampaignRelativeCreatedOn  = "created_on"
	CampaignRelativeLastSeenOn = "last_seen_on"
)

// Campaign is a set of events timed from dates on the contacts of one group.
type Campaign struct {
	ID          int64
	WorkspaceID int64
	UUID        string
	Name        string
	GroupID     int64
	Archived    bool
	CreatedOn   time.Time
	ModifiedOn  time.Time
}

// CampaignEvent is one point of a campaign: a flow to start or a message to send at an
// offset from a date of the contact. Its fires are rows of the timer table of type
// FireCampaign with scope "<ID>:<FireVersion>"; a fire of another version is stale.
type CampaignEvent struct {
	ID          int64
	WorkspaceID int64
	CampaignID  int64
	UUID        string
	EventType   string // CampaignEventFlow or CampaignEventMessage
	// RelativeTo is a datetime field key, or CampaignRelativeCreatedOn/LastSeenOn.
	RelativeTo string
	Offset     int
	Unit       string // CampaignUnit*
	// DeliveryHour is -1 (keep the time of day) or 0–23.
	DeliveryHour int
	StartMode    string // CampaignStart*
	// FlowUUID is the flow of a flow event.
	FlowUUID string
	// Translations ({lang: {"text", ...}}) and BaseLanguage are a message event's message.
	Translations json.RawMessage
	BaseLanguage string
	// FireVersion grows with every change that moves the event's fires.
	FireVersion int
	Status      string // CampaignEventReady or CampaignEventScheduling
	CreatedOn   time.Time
	ModifiedOn  time.Time
}

// Scope is the timer-table scope of the event's current fires.
func (e *CampaignEvent) Scope() string { return CampaignScope(e.ID, e.FireVersion) }

// CampaignEventContact is what scheduling an event needs of one member of its group.
type CampaignEventContact struct {
	ContactID  int64
	CreatedOn  time.Time
	LastSeenOn *time.Time
	// Fields is the contact's stored fields JSON (as store.Contact.Fields).
	Fields json.RawMessage
}

// Reschedule says what a change to a contact made outside its tasks does to its campaign
// fires (the runtime's rules, runtime.md §4): the events whose fires of the contact (any
// version) are deleted, and the fires to add. before is nil for a new contact. Store
// methods that change a contact or its groups call it inside their transaction, so the
// change and its fires commit together or not at all.
type Reschedule func(before, after *Contact) (clears []int64, fires []*Fire)

// CampaignStore keeps campaigns and their events. Every write bumps the workspace's assets
// version, so the runtime's per-contact rescheduling sees the change.
type CampaignStore interface {
	// SaveCampaign creates (ID 0) or updates (by ID) a campaign's name, group and archived
	// flag; it sets ID, UUID (when empty), CreatedOn and ModifiedOn. ErrConflict when the
	// UUID is taken; ErrNotFound for an unknown ID.
	SaveCampaign(ctx context.Context, c *Campaign) error
	// GetCampaign returns a campaign by UUID, or ErrNotFound.
	GetCampaign(ctx context.Context, workspaceID int64, uuid string) (*Campaign, error)
	// ListCampaigns returns the workspace's campaigns by ID (archived ones included).
	ListCampaigns(ctx context.Context, workspaceID int64) ([]*Campaign, error)
	// DeleteCampaign removes a campaign, its events and their fires; ErrNotFound.
	DeleteCampaign(ctx context.Context, workspaceID int64, uuid string) error

	// SaveCampaignEvent creates (ID 0) or updates (by ID) an event as given, FireVersion and
	// Status included; it sets ID, UUID (when empty), CreatedOn and ModifiedOn.
	SaveCampaignEvent(ctx context.Context, e *CampaignEvent) error
	// GetCampaignEvent returns an event by UUID, or ErrNotFound.
	GetCampaignEvent(ctx context.Context, workspaceID int64, uuid string) (*CampaignEvent, error)
	// GetCampaignEventByID returns an event by ID, or ErrNotFound.
	GetCampaignEventByID(ctx context.Context, id int64) (*CampaignEvent, error)
	// ListCampaignEvents returns the events of a campaign (campaignID 0: of every campaign of
	// the workspace) by ID.
	ListCampaignEvents(ctx context.Context, workspaceID, campaignID int64) ([]*CampaignEvent, error)
	// DeleteCampaignEvent removes an event and its fires; ErrNotFound.
	DeleteCampaignEvent(ctx context.Context, workspaceID int64, uuid string) error

	// CampaignEventContacts returns up to limit active members of the group with ID >
	// afterID, ascending, with the dates an event may be relative to.
	CampaignEventContacts(ctx context.Context, groupID, afterID int64, limit int) ([]*CampaignEventContact, error)
	// ReplaceCampaignFires deletes every fire of the event (any version) when clear is set,
	// then adds fires keeping a stored fire of the same contact and scope, and sets the
	// event's status to ready, in one transaction.
	ReplaceCampaignFires(ctx context.Context, workspaceID, eventID int64, clear bool, fires []*Fire) error
	// SaveCampaignSchedule saves, in one transaction, the campaign when c is not nil (as
	// SaveCampaign) and each event (as SaveCampaignEvent, status ready), replacing every fire
	// of each event (any version) with its Fires. So a change that moves an event's fires —
	// the event created or edited, its campaign archived, restored or moved to another
	// group — commits with them or not at all.
	SaveCampaignSchedule(ctx context.Context, c *Campaign, events []*ScheduledEvent) error

	// ListCampaignFires returns one page of the pending fires of these event versions
	// (scopes), soonest first, with their contacts.
	ListCampaignFires(ctx context.Context, workspaceID int64, q CampaignFireQuery) ([]*CampaignFire, error)
	// CountCampaignFires counts the pending fires of each of these scopes.
	CountCampaignFires(ctx context.Context, workspaceID int64, scopes []string) (map[string]int64, error)
}

// ScheduledEvent is an event to save with the fires of the version it is saved with.
type ScheduledEvent struct {
	Event *CampaignEvent
	// Fires need ContactID and FireOn; the store sets their workspace, type and scope from
	// the saved event.
	Fires []*Fire
}

// CampaignFire is a pending fire of a campaign event, as the console lists it.
type CampaignFire struct {
	ID          int64
	Scope       string
	ContactID   int64
	ContactUUID string
	ContactName string
	FireOn      time.Time
}

// CampaignFireQuery asks for a page of fires ordered by (FireOn, ID); a non-zero AfterID
// continues after that fire.
type CampaignFireQuery struct {
	Scopes  []string
	AfterOn time.Time
	AfterID int64
	Limit   int
}

// CampaignScope is the timer-table scope of an event version's fires.
func CampaignScope(eventID int64, version int) string {
	return strconv.FormatInt(eventID, 10) + ":" + strconv.Itoa(version)
}
