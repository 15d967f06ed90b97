package engine

import (
	"encoding/json"

	"careflow/expr"
	"time"

	"careflow/engine/event"
	"careflow/flow"
)

// Run statuses.
const (
	RunActive    = "active"
	RunWaiting   = "waiting"
	RunCompleted = "completed"
	RunExpired   = "expired"
	RunFailed    = "failed"
)

// Step is one node visit on a run's path.
type Step struct {
	NodeUUID  flow.NodeUUID `json:"node_uuid"`
	ArrivedOn time.Time     `json:"arrived_on"`
}

// Result is a saved run result (flows.md §6).
type Result struct {
	Name              string          `json:"name"`
	Value             string          `json:"value"`
	Category          string          `json:"category,omitempty"`
	CategoryLocalized string          `json:"category_localized,omitempty"`
	NodeUUID          flow.NodeUUID   `json:"node_uuid"`
	Input             string          `json:"input,omitempty"`
	Extra             json.RawMessage `json:"extra,omitempty"`
	CreatedOn         time.Time       `json:"created_on"`
}

// WebhookValue is a run's @webhook: the last call's outcome.
type WebhookValue struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	JSON    json.RawMessage   `json:"json"`
}

// Run is one contact's pass through one flow (flows.md §9.4).
type Run struct {
	UUID       string             `json:"uuid"`
	FlowRef    *flow.FlowRef      `json:"flow"`
	Status     string             `json:"status"`
	ParentUUID string             `json:"parent_uuid,omitempty"`
	HadInput   bool               `json:"had_input,omitempty"`
	Path       []*Step            `json:"path,omitempty"`
	Results    map[string]*Result `json:"results,omitempty"`
	Locals     map[string]string  `json:"locals,omitempty"`
	// Webhook is the persisted @webhook: absent when its JSON is over 10000 bytes (the live value
	// is still seen by the rest of the sprint).
	Webhook    *WebhookValue `json:"webhook,omitempty"`
	CreatedOn  time.Time     `json:"created_on"`
	ModifiedOn time.Time     `json:"modified_on"`
	ExitedOn   *time.Time    `json:"exited_on"`

	session *Session
	flow    *flow.Flow
	parent  *Run

	ctx      *expr.Object      // cached root context
	ctxGen   uint64            // session generation ctx was last brought up to date at
	ctxEnv   *expr.Environment // environment the cached items were built with
	itemGens []uint64          // generation of each root item when it was built
	// itemValues holds each root item's lazy value as set in ctx (nil while the item is null)
	itemValues []*expr.Lazy

	// stateGen counts changes to the run itself (path, results, locals, status); the others
	// count changes to one part each.
	stateGen, resultsGen, localsGen, webhookGen uint64
	resultsObj                                  *expr.Object // @results, refreshed in place
	resultsObjGen                               uint64
	langs                                       []string // cached languages()
	langsGen                                    uint64   // contactGen+1 the cache was built at
	liveWebhook                                 *WebhookValue
}

// Session is the session the run belongs to.
func (r *Run) Session() *Session { return r.session }

// Flow is the run's flow definition (nil when missing from assets).
func (r *Run) Flow() *flow.Flow { return r.flow }

// Parent is the run that entered this one, or nil.
func (r *Run) Parent() *Run { return r.parent }

// Child is the most recently started child run, or nil.
func (r *Run) Child() *Run {
	for i := len(r.session.Runs) - 1; i >= 0; i-- {
		if r.session.Runs[i].ParentUUID == r.UUID {
			return r.session.Runs[i]
		}
	}
	return nil
}

// Exited reports whether the run has finished.
func (r *Run) Exited() bool {
	return r.Status != RunActive && r.Status != RunWaiting
}

// Log adds an event to the current sprint.
func (r *Run) Log(e event.Event) { r.session.Log(e) }

// LogError adds an error event.
func (r *Run) LogError(text, code string, extra map[string]string) {
	r.session.Log(event.NewError(text, code, extra))
}

// LastStep is the step the run is at.
func (r *Run) LastStep() *Step {
	if len(r.Path) == 0 {
		return nil
	}
	return r.Path[len(r.Path)-1]
}

// SetLocal stores a run local.
func (r *Run) SetLocal(name, value string) {
	if r.Locals == nil {
		r.Locals = map[string]string{}
	}
	r.Locals[name] = value
	r.localsGen++
	r.stateGen++
	r.session.changed()
}

// DeleteLocal removes a run local.
func (r *Run) DeleteLocal(name string) {
	delete(r.Locals, name)
	r.localsGen++
	r.stateGen++
	r.session.changed()
}

// SetWebhook sets (or clears with nil) the run's @webhook.
func (r *Run) SetWebhook(w *WebhookValue) {
	r.liveWebhook, r.Webhook = w, w
	if w != nil && len(w.JSON) > 10000 {
		r.Webhook = nil
	}
	r.webhookGen++
	r.session.changed()
}

// setStatus changes the status of a run that goes on (waiting, active again) and, as every
// status change of the reference's runs, stamps ModifiedOn with the current time.
func (r *Run) setStatus(status string) {
	r.Status = status
	r.stateGen++
	r.ModifiedOn = r.session.now()
}

// RecordInput marks that the run received input (a message resuming it, or the message that
// triggered it). The first time, ModifiedOn is stamped with the current time, as the
// reference does; later input leaves it.
func (r *Run) RecordInput() {
	if !r.HadInput {
		r.ModifiedOn = r.session.now()
	}
	r.HadInput = true
}

// exit ends the run with the given status.
func (r *Run) exit(status string) {
	r.stamp(status)
	r.session.Log(event.NewRunEnded(r.UUID, r.FlowRef, status))
}

// stamp gives the run its final status, exited_on and modified_on.
func (r *Run) stamp(status string) {
	now := r.session.now()
	r.Status = status
	r.stateGen++
	r.ExitedOn = &now
	r.ModifiedOn = now
}

// fail ends the run as failed, logging the failure text first when given.
func (r *Run) fail(text string) {
	if text != "" {
		r.session.Log(event.NewFailure(text))
	}
	r.exit(RunFailed)
}

// visitCount counts how many times the run has visited a node.
func (r *Run) visitCount(node flow.NodeUUID) int {
	n := 0
	for _, s := range r.Path {
		if s.NodeUUID == node {
			n++
		}
	}
	return n
}

// Fail ends the run as failed from an action (enter_flow that can't start its flow): as the
// reference's actions do, the run exits first (exited_on before the events), then the failure
// and run_ended events are logged. The engine's own failures log the failure event first.
func (r *Run) Fail(text string) {
	r.stamp(RunFailed)
	if text != "" {
		r.session.Log(event.NewFailure(text))
	}
	r.session.Log(event.NewRunEnded(r.UUID, r.FlowRef, RunFailed))
}

// CurrentWebhook is the run's @webhook as the sprint sees it (even when too big to persist).
func (r *Run) CurrentWebhook() *WebhookValue { return r.liveWebhook }
