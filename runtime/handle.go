package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
	"careflow/store"
)

// contactScene is the state of one contact while its tasks are handled: the contact as the
// engine sees it, its waiting session, and everything produced so far.
type contactScene struct {
	rt    *Runtime
	batch *batchCache
	w     *Workspace
	c     *store.Contact
	ec    *engine.Contact
	now   time.Time
	scene *store.Scene

	// waiting is the contact's waiting session (engine view) and its stored row.
	waiting    *engine.Session
	waitingRow *store.Session
	// hadWaiting says the contact had a waiting session before these tasks.
	hadWaiting bool
	// touched are the sessions started, resumed or ended here, by UUID, in order.
	touched    map[string]*touchedSession
	touchOrder []string
	// lastWait is the last msg_wait of the waiting session in this batch (for its fires).
	lastWait *event.MsgWait
	// newWaiting says the waiting session was created in this batch (gets an S fire).
	newWaiting bool
	startID    int64
}

type touchedSession struct {
	s      *engine.Session
	row    *store.Session
	status string // stored status override (expired, interrupted)
	sprint string
	// startID is the flow start that began the session in this batch (its runs' start).
	startID int64
}

func (r *Runtime) handleContact(ctx context.Context, batch *batchCache, work *store.ContactWork) (*store.Scene, error) {
	w, err := r.Workspace(ctx, work.Contact.WorkspaceID)
	if err != nil {
		return nil, err
	}
	ec, err := w.engineContact(work.Contact)
	if err != nil {
		return nil, err
	}
	cs := &contactScene{rt: r, batch: batch, w: w, c: work.Contact, ec: ec, now: r.Clock.Now(),
		scene:   &store.Scene{WorkspaceID: w.ID, ContactID: work.Contact.ID, DoneTasks: work.Tasks},
		touched: map[string]*touchedSession{}}
	if work.Session != nil {
		if err := cs.loadWaiting(work.Session); err != nil {
			r.Log.Warn("waiting session unreadable; ending it as failed", "session", work.Session.UUID, "error", err)
			work.Session.Status, work.Session.State = "failed", nil
			ended := cs.now
			work.Session.EndedOn, work.Session.ModifiedOn = &ended, cs.now
			cs.scene.Sessions = append(cs.scene.Sessions, work.Session)
			cs.scene.ClearSessionFires = true
			cs.hadWaiting = true
		}
	}
	cs.refreshSmartGroups()
	for _, t := range work.Tasks {
		h := taskHandlers[t.Type]
		if h == nil {
			r.Log.Warn("unknown contact task dropped", "type", t.Type, "task", t.ID)
			continue
		}
		if err := h(ctx, cs, t); err != nil {
			return nil, fmt.Errorf("%s task %d: %w", t.Type, t.ID, err)
		}
	}
	if err := cs.finish(); err != nil {
		return nil, err
	}
	return cs.scene, nil
}

// taskHandlers handle one task type each (handle_*.go).
var taskHandlers = map[string]func(ctx context.Context, cs *contactScene, t *store.ContactTask) error{}

func (cs *contactScene) loadWaiting(row *store.Session) error {
	data, err := unpackSession(row.State)
	if err != nil {
		return err
	}
	s, err := cs.w.Engine.ReadSession(data, cs.w.Assets, cs.w.Env, cs.ec, nil)
	if err != nil {
		return err
	}
	if s.Status != engine.SessionWaiting {
		return fmt.Errorf("stored session is %s, not waiting", s.Status)
	}
	if wr := s.WaitingRun(); wr == nil || wr.Flow() == nil {
		return fmt.Errorf("the waiting flow no longer exists")
	}
	cs.waiting, cs.waitingRow, cs.hadWaiting = s, row, true
	return nil
}

// touch records a session as changed here.
func (cs *contactScene) touch(s *engine.Session, row *store.Session) *touchedSession {
	t := cs.touched[s.UUID]
	if t == nil {
		t = &touchedSession{s: s, row: row, startID: cs.startID}
		cs.touched[s.UUID] = t
		cs.touchOrder = append(cs.touchOrder, s.UUID)
	}
	return t
}

// interruptWaiting ends the waiting session as interrupted (or another end status) before
// something else takes the contact.
func (cs *contactScene) interruptWaiting(status string) {
	if cs.waiting == nil {
		return
	}
	cs.waiting.Interrupt()
	t := cs.touch(cs.waiting, cs.waitingRow)
	t.status = status
	cs.waiting, cs.waitingRow, cs.lastWait, cs.newWaiting = nil, nil, nil, false
}

// startSession starts a flow for the contact. Messaging and voice flows interrupt the waiting
// session first; background flows leave it alone (and never wait).
func (cs *contactScene) startSession(f *store.Flow, trigger *engine.Trigger) error {
	background := f.Type == string(flow.TypeMessagingBackground)
	if !background {
		cs.interruptWaiting(engine.SessionInterrupted)
	}
	s, sprint, err := cs.w.Engine.Start(cs.w.Assets, cs.w.Env, cs.ec, trigger, nil)
	if err != nil {
		return err
	}
	cs.afterSprint(s, nil, sprint, !background)
	return nil
}

// resume continues the waiting session.
func (cs *contactScene) resume(resume *engine.Resume) error {
	s := cs.waiting
	sprint, err := s.ResumeWith(resume)
	if err != nil {
		return err
	}
	cs.afterSprint(s, cs.waitingRow, sprint, true)
	return nil
}

// afterSprint takes what a sprint produced into the scene and tracks the waiting session.
func (cs *contactScene) afterSprint(s *engine.Session, row *store.Session, sprint *engine.Sprint, mayWait bool) {
	t := cs.touch(s, row)
	t.sprint = uuids{}.NewV4()
	var wait *event.MsgWait
	for _, e := range sprint.Events {
		cs.takeEvent(s, e)
		if mw, ok := e.(*event.MsgWait); ok {
			wait = mw
		}
	}
	if s.Status == engine.SessionWaiting && mayWait {
		if cs.waiting != s {
			cs.newWaiting = true
		}
		cs.waiting, cs.waitingRow = s, row
		cs.lastWait = wait
	} else if cs.waiting == s {
		cs.waiting, cs.waitingRow, cs.lastWait, cs.newWaiting = nil, nil, nil, false
	}
}

// msgEvent builds the msg_received event of an incoming message.
func (cs *contactScene) msgEvent(p *msgPayload) *event.MsgReceived {
	e := &event.MsgReceived{Base: event.Base{UUID: uuids{}.NewV7(), EventType: event.TypeMsgReceived, CreatedOn: p.ReceivedOn},
		Msg: &event.MsgIn{URN: p.URN, Text: p.Text, Attachments: p.Attachments, ExternalID: p.ExternalID}}
	if p.ChannelUUID != "" {
		e.Msg.Channel = cs.channelRef(p.ChannelUUID)
	}
	return e
}

func (cs *contactScene) channelRef(uuid string) *flow.ChannelRef {
	for _, c := range cs.w.Channels {
		if c.UUID == uuid {
			return &flow.ChannelRef{UUID: c.UUID, Name: c.Name}
		}
	}
	return &flow.ChannelRef{UUID: uuid}
}

// rawEvent is an event's JSON for triggers and resumes stored in the session.
func rawEvent(e event.Event) json.RawMessage {
	data, _ := json.Marshal(e)
	return data
}

// contactGroupSet is the set of group UUIDs the contact is in now.
func (cs *contactScene) contactGroupSet() map[string]bool {
	m := make(map[string]bool, len(cs.ec.Groups))
	for _, g := range cs.ec.Groups {
		m[g.UUID] = true
	}
	return m
}
