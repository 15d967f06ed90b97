package engine

import (
	"fmt"
	"time"

	"careflow/contactql"
	"careflow/engine/event"
	"careflow/expr"
	"careflow/flow"
)

// Session statuses.
const (
	SessionActive    = "active"
	SessionWaiting   = "waiting"
	SessionCompleted = "completed"
	SessionFailed    = "failed"
)

// Segment is one exit → destination hop taken in a sprint.
type Segment struct {
	FlowUUID        flow.UUID     `json:"flow_uuid"`
	NodeUUID        flow.NodeUUID `json:"node_uuid"`
	ExitUUID        flow.ExitUUID `json:"exit_uuid"`
	Operand         string        `json:"operand,omitempty"`
	DestinationUUID flow.NodeUUID `json:"destination_uuid"`
	Time            time.Time     `json:"time"`
}

// Sprint is what one start or resume produced.
type Sprint struct {
	// UUID identifies the sprint (version 4), e.g. to group the events a host stores.
	UUID     string        `json:"-"`
	Events   []event.Event `json:"events"`
	Segments []*Segment    `json:"segments"`
}

func newSprint() *Sprint { return &Sprint{Events: make([]event.Event, 0, 8)} }

// newSprintWithUUID starts a sprint, drawing its UUID where the reference does: after the
// session's own UUID and creation time on start, first thing on a resume (so a resume that
// is refused still uses one). Seeded UUIDs then come out in the reference's order.
func (s *Session) newSprintWithUUID() *Sprint {
	sp := newSprint()
	sp.UUID = s.eng.UUIDs.NewV4()
	return sp
}

// Session is a contact's conversation with flows (flows.md §9.3).
type Session struct {
	UUID        string    `json:"uuid"`
	Type        flow.Type `json:"type"`
	CreatedOn   time.Time `json:"created_on"`
	Status      string    `json:"status"`
	Trigger     *Trigger  `json:"trigger"`
	ContactUUID string    `json:"contact_uuid"`
	CallUUID    string    `json:"call_uuid,omitempty"`
	Input       *Input    `json:"input,omitempty"`
	Runs        []*Run    `json:"runs"`
	Sprints     int       `json:"sprints"`

	eng     *Engine
	assets  *Assets
	baseEnv *expr.Environment
	contact *Contact
	call    *event.Call
	resume  *Resume
	parent  *relatedRun // from a flow_action trigger's run summary
	sprint  *Sprint

	pushed      *pushedFlow
	steps       int
	lastOperand string
	// lastNode is the node visited last in this sprint: segments start from it.
	lastNode flow.NodeUUID
	envCache *expr.Environment
	envStale bool
	// gen counts state changes; run contexts built at an older generation are stale.
	gen uint64
	// contactGen and inputGen count changes to the contact and to the input/resume.
	contactGen, inputGen uint64
	// contactObj is the contact's expression value, refreshed in place when contactGen moves.
	contactObj    *expr.Object
	contactObjGen uint64
	contactObjEnv *expr.Environment
	inputObj      *expr.Object
	// smart are the query-based groups parsed for smartEnv.
	smart    []*contactql.SmartGroup
	smartEnv string

	// inputNode is the node whose wait a msg trigger's input answers (first node of first run).
	triggerInputUnused bool
}

type pushedFlow struct {
	flow     *flow.Flow
	parent   *Run
	terminal bool
}

// Call is a voice call given to a session.
type Call = event.Call

// Contact is the session's contact.
func (s *Session) Contact() *Contact { return s.contact }

// Assets are the session's assets.
func (s *Session) Assets() *Assets { return s.assets }

// Engine is the engine running the session.
func (s *Session) Engine() *Engine { return s.eng }

// CallInfo is the session's voice call or nil.
func (s *Session) CallInfo() *Call { return s.call }

// Resume is the resume that continued the current sprint, or nil.
func (s *Session) Resume() *Resume { return s.resume }

// Batch reports whether the session is part of a mass start.
func (s *Session) Batch() bool { return s.Trigger != nil && s.Trigger.Batch }

// Now reads the engine clock.
func (s *Session) Now() time.Time { return s.now() }

func (s *Session) now() time.Time { return s.eng.Clock.Now() }

// changed notes that session state visible to expressions changed, so cached expression
// contexts are rebuilt.
func (s *Session) changed() { s.gen++ }

// Log stamps an event and adds it to the sprint.
func (s *Session) Log(e event.Event) {
	s.gen++
	b := e.Common()
	uuid := b.UUID
	if uuid == "" {
		uuid = s.eng.UUIDs.NewV7()
	}
	b.Stamp(uuid, s.now())
	s.sprint.Events = append(s.sprint.Events, e)
}

// WaitingRun is the run the session waits on, or nil.
func (s *Session) WaitingRun() *Run {
	for i := len(s.Runs) - 1; i >= 0; i-- {
		if s.Runs[i].Status == RunWaiting {
			return s.Runs[i]
		}
	}
	return nil
}

// ActiveRun is the run currently executing, or nil.
func (s *Session) currentRun() *Run {
	for i := len(s.Runs) - 1; i >= 0; i-- {
		if s.Runs[i].Status == RunActive || s.Runs[i].Status == RunWaiting {
			return s.Runs[i]
		}
	}
	return nil
}

func (s *Session) findRun(uuid string) *Run {
	for _, r := range s.Runs {
		if r.UUID == uuid {
			return r
		}
	}
	return nil
}

// Compact drops path, locals and webhook of runs that are no longer active or waiting.
func (s *Session) Compact() {
	for _, r := range s.Runs {
		if r.Exited() {
			r.Path, r.Locals, r.Webhook, r.liveWebhook = nil, nil, nil, nil
		}
	}
}

// Start begins a session for a contact from a trigger (flows.md §9.5).
func (e *Engine) Start(assets *Assets, env *expr.Environment, contact *Contact, trigger *Trigger, call *Call) (*Session, *Sprint, error) {
	f, err := assets.Flow(trigger.Flow.UUID)
	if err != nil {
		return nil, nil, err
	}
	if f.Type == flow.TypeVoice && call == nil {
		return nil, nil, fmt.Errorf("unable to trigger voice flow without call")
	}
	s := &Session{eng: e, assets: assets, baseEnv: env, contact: contact, call: call, sprint: newSprint()}
	s.UUID = e.UUIDs.NewV7()
	s.CreatedOn = s.now()
	s.sprint = s.newSprintWithUUID()
	s.Type = f.Type
	s.Status = SessionActive
	s.Trigger = trigger
	s.ContactUUID = contact.UUID
	if call != nil {
		s.CallUUID = call.UUID
	}
	if len(trigger.RunSummary) > 0 {
		s.parent = readRunSummary(trigger.RunSummary, assets)
	}
	s.pushed = &pushedFlow{flow: f}
	if tt := trigger.typeInfo(); tt != nil && tt.Input != nil {
		if in := tt.Input(trigger, assets); in != nil {
			s.Input = in
			t := in.CreatedOn
			contact.LastSeenOn = &t
			s.triggerInputUnused = true
		}
	}
	s.ReevaluateGroups()
	if err := s.loop(nil); err != nil {
		return nil, nil, err
	}
	s.Sprints++
	return s, s.sprint, nil
}

// ReadSession reads a session stored as JSON, with the assets, environment, contact and call it
// runs with.
func (e *Engine) ReadSession(data []byte, assets *Assets, env *expr.Environment, contact *Contact, call *Call) (*Session, error) {
	s := &Session{}
	if err := decodeSession(data, s); err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	s.eng, s.assets, s.baseEnv, s.contact, s.call = e, assets, env, contact, call
	if s.Trigger != nil {
		if len(s.Trigger.RunSummary) > 0 {
			s.parent = readRunSummary(s.Trigger.RunSummary, assets)
		}
	}
	for _, r := range s.Runs {
		r.session = s
		r.flow, _ = assets.Flow(r.FlowRef.UUID)
		r.liveWebhook = r.Webhook
		if r.ParentUUID != "" {
			r.parent = s.findRun(r.ParentUUID)
		}
	}
	return s, nil
}

// Resume continues a waiting session (flows.md §9.5).
func (s *Session) ResumeWith(resume *Resume) (*Sprint, error) {
	sprint := s.newSprintWithUUID()
	if s.Status != SessionWaiting {
		return nil, fmt.Errorf("only waiting sessions can be resumed")
	}
	run := s.WaitingRun()
	if run == nil {
		return nil, fmt.Errorf("session has no waiting run")
	}
	rt := resumeTypes[resume.Type]
	if rt == nil {
		return nil, fmt.Errorf("unknown resume type %s", resume.Type)
	}
	s.sprint = sprint
	s.steps = 0
	s.triggerInputUnused = false

	var node *flow.Node
	failText := ""
	switch {
	case run.flow == nil:
		failText = "Can't resume run with missing flow asset"
	case s.Sprints >= s.eng.MaxSprintsPerSession:
		failText = fmt.Sprintf("Reached maximum number of sprints per session (%d)", s.eng.MaxSprintsPerSession)
	default:
		step := run.LastStep()
		if step != nil {
			node = run.flow.Node(step.NodeUUID)
		}
		if node == nil {
			failText = "Unable to find resume location: node no longer exists"
		} else if node.Router == nil || node.Router.Wait == nil {
			failText = "Can't resume from node without a router or wait"
		}
	}
	if failText == "" {
		if err := checkWaitAccepts(node.Router.Wait, resume, rt); err != nil {
			return nil, err
		}
	}
	s.Status = SessionActive
	s.resume = resume
	if step := run.LastStep(); step != nil {
		s.lastNode = step.NodeUUID
	}
	if failText != "" {
		s.failSession(run, failText)
		s.Sprints++
		return s.sprint, nil
	}
	expire := false
	if rt.Apply != nil {
		expire = rt.Apply(s, resume, run)
	}
	s.contactGen++
	s.inputGen++
	s.changed()
	if expire {
		run.exit(RunExpired)
		s.ReevaluateGroups()
		if err := s.loop(&resumePoint{run: run}); err != nil {
			return nil, err
		}
		s.Sprints++
		return s.sprint, nil
	}
	run.setStatus(RunActive)
	s.ReevaluateGroups()
	exit, err := s.route(run, node, rt.Timeout)
	if err != nil {
		return nil, err
	}
	if s.Status == SessionActive && !run.Exited() {
		if err := s.loop(&resumePoint{run: run, node: node, exit: exit}); err != nil {
			return nil, err
		}
	} else if s.Status == SessionActive {
		if err := s.loop(nil); err != nil {
			return nil, err
		}
	}
	s.Sprints++
	return s.sprint, nil
}

func checkWaitAccepts(w *flow.Wait, resume *Resume, rt *ResumeType) error {
	ok := false
	switch w.Type {
	case flow.WaitMsg:
		ok = resume.Type == "msg" || resume.Type == "wait_expiration" || (resume.Type == "wait_timeout" && w.Timeout != nil)
	case flow.WaitDial:
		ok = resume.Type == "dial"
	}
	if !ok {
		return fmt.Errorf("resume of type %s not accepted by wait of type %s", resume.Type, w.Type)
	}
	return nil
}

// failSession fails the waiting run with a failure event and every other live run.
func (s *Session) failSession(run *Run, text string) {
	s.Log(event.NewFailure(text))
	for i := len(s.Runs) - 1; i >= 0; i-- {
		r := s.Runs[i]
		if !r.Exited() {
			r.exit(RunFailed)
		}
	}
	s.Status = SessionFailed
}
