package store

import "context"

// PushState is where an outbound push stands.
type PushState string

const (
	// PushPending waits for its next attempt (NextAt), possibly leased to a sender now.
	PushPending PushState = "pending"
	// PushSent was acknowledged by its destination; its payload hash is the dedupe record.
	PushSent PushState = "sent"
	// PushDead ran out of attempts (or cannot succeed) and waits for an admin to re-queue it.
	PushDead PushState = "dead"
)

// Push is the queue entry of one (document, outbound config) pair: the latest payload to
// deliver, the hash of the last one acknowledged, and the delivery bookkeeping. Times are
// milliseconds since the epoch.
type Push struct {
	ID          int64
	DocID       string
	Config      string
	Destination string // the lane: scheme://host of the config's base_url
	DocRev      string
	DocSeq      int64
	Body        []byte
	Hash        string
	SentHash    string
	State       PushState
	// Version grows whenever a new payload replaces the queued one, so an acknowledgement
	// for an older payload cannot mark a newer one sent.
	Version    int64
	Attempts   int
	LastStatus int
	LastError  string
	NextAt     int64
	EnqueuedAt int64 // when the current payload was queued (the retry limit counts from it)
	UpdatedAt  int64
	SentAt     int64
	LeaseOwner string
	LeaseUntil int64
	// Eval is set when the payload could not be built at write time (a mapping error, or an
	// expression stopped by the sandbox): the next try evaluates the document again.
	// EvalMapping: the config was relevant; EvalRelevance: relevance is not known either.
	Eval string
}

// Values of Push.Eval.
const (
	EvalMapping   = "mapping"
	EvalRelevance = "relevance"
)

// PushEnqueue is a payload evaluated from document change Seq for one config.
type PushEnqueue struct {
	Seq         int64 // the outbox entry it came from
	DocID       string
	Config      string
	Destination string
	DocRev      string
	DocSeq      int64
	Body        []byte
	Hash        string
	NextAt      int64
	// Eval and Error describe a payload that could not be built (Body and Hash empty): the
	// push is queued as already failed once, to be evaluated again at NextAt.
	Eval  string
	Error string
	// Claim leases the push to the batch's Owner as it becomes pending (when no one holds it),
	// so the caller can send it without claiming it again.
	Claim bool
}

// PushBatch is one transaction of queue work: outbox entries consumed with the pushes they
// produce, and attempt outcomes recorded.
type PushBatch struct {
	// Seqs are the outbox entries consumed (deleted); Items whose entry another consumer
	// already took are skipped.
	Seqs  []int64
	Items []PushEnqueue
	// Outcomes are recorded as CompletePushes describes.
	Outcomes []PushOutcome
	// Now is the time of the batch; Owner and LeaseUntil lease the Claim items.
	Now        int64
	Owner      string
	LeaseUntil int64
}

// PushBatchResult says what a batch did: how many pushes became pending and which of them
// were claimed for the caller.
type PushBatchResult struct {
	Pending int
	Claimed []Push
}

// PushOutcome is the result of one delivery attempt of a claimed push.
type PushOutcome struct {
	ID      int64
	Version int64 // the claimed version
	Hash    string
	// Sent: the destination acknowledged Hash.
	Sent bool
	// Attempted is false for a push put back without trying (a cron push outside its window).
	Attempted  bool
	Dead       bool
	Status     int
	Error      string
	NextAt     int64
	Now        int64
	LeaseOwner string
	// Body is the payload built when a push queued with Eval was evaluated again; with Sent
	// it replaces the stored payload (Hash is its hash).
	Body []byte
}

// PushQuery selects pushes for listing; empty members do not filter. Newest first.
type PushQuery struct {
	State  PushState
	DocID  string
	Config string
	IDs    []int64
	Limit  int // 0: 100
	Offset int
}

// DueDestination is a destination with pending, unleased pushes and the earliest NextAt.
type DueDestination struct {
	Destination string
	NextAt      int64
}

// OutboundStore is the durable outbound push queue. Several nodes may work one PostgreSQL
// queue: claims skip rows another node holds, and leases that expire are taken over.
type OutboundStore interface {
	// ApplyPushes runs a PushBatch in one transaction. Per (doc, config), an item's payload
	// equal to the last acknowledged one needs nothing (and cancels a pending older one); an
	// unchanged pending or dead payload is left as it is; a new payload replaces the queued
	// one as pending with fresh attempts, due at its NextAt. Items older than what is stored
	// (DocSeq) are ignored. Outcomes: a success marks the push sent unless a newer payload
	// arrived meanwhile (then that one stays pending); a failure for an outdated version only
	// releases the lease; leases are released either way.
	ApplyPushes(ctx context.Context, b PushBatch) (PushBatchResult, error)
	// DueDestinations lists destinations with pending pushes not under a live lease.
	DueDestinations(ctx context.Context, now int64) ([]DueDestination, error)
	// ClaimPushes leases up to limit due pushes of destination to owner until leaseUntil,
	// oldest NextAt first.
	ClaimPushes(ctx context.Context, destination, owner string, now, leaseUntil int64, limit int) ([]Push, error)
	// ReleasePushes drops every lease owner holds (a node shutting down cleanly).
	ReleasePushes(ctx context.Context, owner string) error
	// ListPushes returns pushes matching q, newest first, bodies included.
	ListPushes(ctx context.Context, q PushQuery) ([]Push, error)
	// CountPushes counts pushes by state.
	CountPushes(ctx context.Context) (map[PushState]int64, error)
	// RequeuePushes makes the dead pushes matching q pending again with fresh attempts, due
	// now; it returns how many.
	RequeuePushes(ctx context.Context, q PushQuery, now int64) (int64, error)
}
