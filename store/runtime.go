package store

import (
	"context"
	"encoding/json"
	"time"
)

// Contact task types: the work the runtime does for one contact, strictly in arrival order.
const (
	TaskMsg           = "msg"            // an incoming message (Payload: the message)
	TaskEvent         = "event"          // a channel event: new_conversation, referral, missed call, stop
	TaskStart         = "start"          // a flow start reaching this contact (RefID: the start)
	TaskBroadcast     = "broadcast"      // a broadcast reaching this contact (RefID: the broadcast)
	TaskTimeout       = "wait_timeout"   // a wait timeout fire came due
	TaskExpire        = "wait_expire"    // a wait expiration fire came due
	TaskSessionExpire = "session_expire" // the session's 30-day expiration came due
	TaskInterrupt     = "interrupt"      // interrupt the waiting session
	TaskCampaign      = "campaign"       // a campaign event fire came due (owned by the campaigns work)
)

// ContactTask is one unit of durable work for a contact.
type ContactTask struct {
	ID          int64
	WorkspaceID int64
	ContactID   int64
	Type        string
	// RefID points at the start, broadcast or message the task is about.
	RefID int64
	// Payload is the task's own data as JSON (message text, fire's session and sprint, ...).
	Payload   json.RawMessage
	CreatedOn time.Time
}

// Incoming is a message or channel event received from a channel, to be stored and handed to
// the contact's queue in one step.
type Incoming struct {
	WorkspaceID int64
	URN         NewContactURN
	// Msg is the message to store (ContactID and URN are filled in); nil for an event.
	Msg *Msg
	// Task is the task queued for the contact (ContactID, RefID filled in from the message).
	Task ContactTask
}

// Received says what storing an Incoming did.
type Received struct {
	ContactID  int64
	NewContact bool
	MsgID      int64
	TaskID     int64
}

// Session is a contact's conversation with flows; State is the engine's session JSON
// (compressed by the runtime when it pays), kept only while the session waits.
type Session struct {
	UUID           string
	WorkspaceID    int64
	ContactID      int64
	Type           string
	Status         string // waiting, completed, interrupted, expired, failed
	State          []byte
	CurrentFlow    string
	LastSprintUUID string
	CreatedOn      time.Time
	ModifiedOn     time.Time
	EndedOn        *time.Time
}

// Run is one run of a flow in a session, kept queryable for the API.
type Run struct {
	UUID        string
	WorkspaceID int64
	SessionUUID string
	ContactID   int64
	FlowUUID    string
	Status      string // active, waiting, completed, interrupted, expired, failed
	Responded   bool
	Results     json.RawMessage // name key → result object
	Path        json.RawMessage // steps
	StartID     int64
	CreatedOn   time.Time
	ModifiedOn  time.Time
	ExitedOn    *time.Time
}

// Fire types (rows of the timer table).
const (
	FireTimeout       = "T"
	FireExpire        = "E"
	FireSessionExpire = "S"
	FireCampaign      = "C"
)

// Fire is a timed piece of work for a contact. (ContactID, Type, Scope) is unique.
type Fire struct {
	ID          int64
	WorkspaceID int64
	ContactID   int64
	Type        string
	// Scope is "" for session fires; "<event id>:<version>" for campaign fires.
	Scope       string
	SessionUUID string
	SprintUUID  string
	FireOn      time.Time
}

// ContactUpdate is the state of a contact after a sprint, written as a whole.
type ContactUpdate struct {
	Contact *Contact
	// URNsChanged and the group lists say what else to write.
	URNsChanged   bool
	GroupsAdded   []int64
	GroupsRemoved []int64
}

// HTTPLog is one logged HTTP exchange made for a flow (a webhook or resthook call, an LLM
// call) or with a channel's provider.
type HTTPLog struct {
	ID          int64
	WorkspaceID int64
	Type        string // webhook_called, llm_called, channel
	FlowUUID    string
	ChannelUUID string
	URL         string
	Method      string
	StatusCode  int
	Request     string
	Response    string
	IsError     bool
	ElapsedMS   int
	CreatedOn   time.Time
}

// Scene is everything handling some tasks of one contact produced, committed at once. Its
// committer must hold the contact's lease; a scene with ContactID 0 is about no contact and
// only adds the rows it lists.
type Scene struct {
	WorkspaceID int64
	ContactID   int64
	Contact     *ContactUpdate
	// Sessions are upserted by UUID: the new or resumed session and any it interrupted.
	Sessions []*Session
	// Runs are upserted by UUID.
	Runs []*Run
	// MsgsOut are inserted (IDs set); MsgsHandled update incoming messages' status, flow and
	// visibility.
	MsgsOut     []*Msg
	MsgsHandled []*Msg
	// ClearSessionFires deletes the contact's T, E (and with AllSessionFires, S) fires before
	// Fires are inserted (a duplicate key replaces the stored fire).
	ClearWaitFires    bool
	ClearSessionFires bool
	Fires             []*Fire
	// CampaignFireClears are campaign events whose fires for this contact (any version) are
	// deleted before Fires are inserted: the contact's dates or groups moved them.
	CampaignFireClears []int64
	// Tasks are new tasks for other contacts or later (start_session, broadcasts).
	Tasks []*ContactTask
	// Starts and Broadcasts are created (from start_session and send_broadcast actions).
	Starts     []*FlowStart
	Broadcasts []*Broadcast
	HTTPLogs   []*HTTPLog
	// ResthookEvents are inserted (the payloads of call_resthook actions); one naming no live
	// resthook of the workspace is dropped, as mailroom drops it.
	ResthookEvents []*ResthookEvent
	// ResthookUnsubscribes remove subscribers that answered 410 Gone.
	ResthookUnsubscribes []*ResthookUnsubscribe
	// DoneTasks are deleted; each done start/broadcast task advances its start's or
	// broadcast's progress.
	DoneTasks []*ContactTask
}

// ContactWork is a contact leased to one worker with its pending tasks in arrival order.
type ContactWork struct {
	Contact *Contact
	Tasks   []*ContactTask
	// Session is the contact's waiting session, or nil.
	Session *Session
}

// RuntimeStore is the durable state of the messaging runtime: the contact task queue, sessions
// and runs, and the timer table.
type RuntimeStore interface {
	// ReceiveIncoming stores messages/events and queues their tasks, creating contacts for
	// unknown URNs, in one transaction.
	ReceiveIncoming(ctx context.Context, in []*Incoming, now time.Time) ([]Received, error)
	// QueueTasks adds tasks in one transaction.
	QueueTasks(ctx context.Context, tasks []*ContactTask) error
	// ClaimContacts leases up to limit contacts that have tasks and no live lease to owner
	// until leaseUntil, oldest task first, and returns each with its tasks and waiting session.
	ClaimContacts(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]*ContactWork, error)
	// CommitScenes writes scenes in one transaction and releases the contacts' leases (owner's).
	// When that transaction fails, each scene is tried in its own; it returns one error per
	// scene (nil for committed ones) and a non-nil error only when nothing could be tried.
	CommitScenes(ctx context.Context, owner string, scenes []*Scene, now time.Time) ([]error, error)
	// ReleaseContacts drops owner's leases (a node stopping, or a scene that failed).
	ReleaseContacts(ctx context.Context, owner string, contactIDs []int64) error
	// ReleaseAllContactLeases drops every lease, whoever holds it; only for a single node
	// starting (SQLite), where no other node can hold one.
	ReleaseAllContactLeases(ctx context.Context) error
	// PendingTasks counts queued tasks of the workspace (0: all).
	PendingTasks(ctx context.Context, workspaceID int64) (int64, error)

	// FireDue turns up to limit fires due at now into contact tasks and deletes them, in one
	// transaction; nodes sharing a database never take the same fire. It returns how many.
	FireDue(ctx context.Context, now time.Time, limit int) (int, error)
	// ListFires returns the contact's pending fires.
	ListFires(ctx context.Context, contactID int64) ([]*Fire, error)
	// NextFire returns the earliest fire time, or nil when there is none.
	NextFire(ctx context.Context) (*time.Time, error)
	// InsertFires adds fires, replacing any with the same (contact, type, scope).
	InsertFires(ctx context.Context, fires []*Fire) error
	// DeleteFires removes the fires of the given type and scope prefix (campaign
	// rescheduling); contactIDs nil means every contact of the workspace.
	DeleteFires(ctx context.Context, workspaceID int64, typ, scopePrefix string, contactIDs []int64) (int64, error)

	// GetSession returns a session by UUID, or ErrNotFound.
	GetSession(ctx context.Context, uuid string) (*Session, error)
	// ListRuns returns runs of the workspace, newest first.
	ListRuns(ctx context.Context, workspaceID int64, q RunQuery) ([]*Run, error)

	// InsertHTTPLogs stores logs; DeleteHTTPLogsBefore trims them.
	InsertHTTPLogs(ctx context.Context, logs []*HTTPLog) error
	ListHTTPLogs(ctx context.Context, workspaceID int64, q HTTPLogQuery) ([]*HTTPLog, error)
	DeleteHTTPLogsBefore(ctx context.Context, before time.Time) (int64, error)
}

// RunQuery selects runs; zero members do not filter.
type RunQuery struct {
	FlowUUID       string
	ContactID      int64
	Responded      *bool
	ModifiedAfter  time.Time
	ModifiedBefore time.Time
	BeforeID       string // page: runs with UUID less than (UUIDs are time ordered)
	Limit          int
}

// HTTPLogQuery selects HTTP logs, newest first.
type HTTPLogQuery struct {
	Type        string
	FlowUUID    string
	ChannelUUID string
	BeforeID    int64
	Limit       int
}

// Messaging is everything the messaging side keeps.
type Messaging interface {
	WorkspaceStore
	FlowStore
	AssetStore
	ContactStore
	MsgStore
	RuntimeStore
	StartStore
	LeaseRenewer
	CampaignStore
	ScheduleStore
	ResthookStore
}

// LeaseRenewer extends leases a worker still needs (a batch whose flows call slow webhooks
// can outlast a lease; without renewal another node would take its contacts mid-way).
type LeaseRenewer interface {
	// RenewContactLeases moves the lease of the contacts owner still holds to until; it
	// returns how many it renewed.
	RenewContactLeases(ctx context.Context, owner string, contactIDs []int64, until time.Time) (int, error)
}
