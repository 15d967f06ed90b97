package runtime

import (
	"encoding/json"
	mrand "math/rand/v2"
	"strings"
	"time"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/store"
)

// Session limits (runtime.md §3).
const (
	sessionExpiry       = 30 * 24 * time.Hour
	sessionExpiryJitter = 24 * time.Hour
)

// takeEvent turns one engine event into what the scene stores.
func (cs *contactScene) takeEvent(s *engine.Session, e event.Event) {
	switch ev := e.(type) {
	case *event.MsgCreated:
		cs.scene.MsgsOut = append(cs.scene.MsgsOut, cs.outgoing(s, ev))
	case *event.SessionTriggered:
		cs.scene.Starts = append(cs.scene.Starts, cs.childStart(ev))
	case *event.BroadcastCreated:
		if b := cs.flowBroadcast(s, ev); b != nil {
			cs.scene.Broadcasts = append(cs.scene.Broadcasts, b)
		}
	case *event.WebhookCalled:
		cs.scene.HTTPLogs = append(cs.scene.HTTPLogs, cs.webhookLog(s, ev))
		// A resthook subscriber answering 410 Gone asked to be unsubscribed (mailroom's
		// subscriber_gone).
		if ev.Resthook != "" && ev.Status == "subscriber_gone" {
			cs.scene.ResthookUnsubscribes = append(cs.scene.ResthookUnsubscribes,
				&store.ResthookUnsubscribe{Resthook: cs.resthookSlug(ev.Resthook), TargetURL: ev.URL})
		}
	case *event.ResthookCalled:
		cs.scene.ResthookEvents = append(cs.scene.ResthookEvents, &store.ResthookEvent{WorkspaceID: cs.w.ID,
			Resthook: cs.resthookSlug(ev.Resthook), Data: ev.Payload, CreatedOn: ev.CreatedOn})
	case *event.InputLabelsAdded:
		for _, m := range cs.scene.MsgsHandled {
			for _, l := range ev.Labels {
				m.Labels = append(m.Labels, l.Name)
			}
		}
	}
}

// resthookSlug is the stored slug of the resthook an action named: the engine finds
// resthooks whatever the case of the action's slug, the store by the slug as kept.
func (cs *contactScene) resthookSlug(slug string) string {
	if h := cs.w.Assets.Resthook(slug); h != nil {
		return h.Slug
	}
	return slug
}

// outgoing is the message a msg_created event asks to send.
func (cs *contactScene) outgoing(s *engine.Session, ev *event.MsgCreated) *store.Msg {
	m := ev.Msg
	out := &store.Msg{UUID: m.UUID, WorkspaceID: cs.w.ID, ContactID: cs.c.ID, Text: m.Text, Attachments: m.Attachments,
		Locale: m.Locale, Status: store.MsgQueued, Visibility: "visible", CreatedOn: ev.CreatedOn, ModifiedOn: cs.now,
		HighPriority: s.Input != nil}
	if out.UUID == "" {
		out.UUID = uuids{}.NewV7()
	}
	if out.CreatedOn.IsZero() {
		out.CreatedOn = cs.now
	}
	for _, q := range m.QuickReplies {
		out.QuickReplies = append(out.QuickReplies, q.Text)
	}
	if u, err := engine.ParseURN(m.URN); err == nil {
		out.URN = u.Identity()
	}
	if m.Channel != nil {
		out.ChannelUUID = m.Channel.UUID
	}
	if run := lastRun(s); run != nil && run.FlowRef != nil {
		out.FlowUUID = string(run.FlowRef.UUID)
	}
	switch {
	case m.UnsendableReason != "":
		out.Status, out.FailedReason = store.MsgFailed, m.UnsendableReason
	case out.URN == "" || out.ChannelUUID == "":
		out.Status, out.FailedReason = store.MsgFailed, "no_destination"
	default:
		cs.sendOnTestChannel(out)
	}
	return out
}

// sendOnTestChannel marks a message for the test channel sent as it is queued: the test
// channel has no provider to wait for, and writing the message once instead of queuing it and
// then marking it sent halves the writes its conversations cost.
func (cs *contactScene) sendOnTestChannel(m *store.Msg) {
	for _, c := range cs.w.Channels {
		if c.UUID == m.ChannelUUID && c.Type == TestChannelType {
			now := cs.now
			m.Status, m.SentOn = store.MsgSent, &now
			return
		}
	}
}

func lastRun(s *engine.Session) *engine.Run {
	if len(s.Runs) == 0 {
		return nil
	}
	return s.Runs[len(s.Runs)-1]
}

// childStart is the flow start a start_session action asks for.
func (cs *contactScene) childStart(ev *event.SessionTriggered) *store.FlowStart {
	st := &store.FlowStart{UUID: uuids{}.NewV4(), WorkspaceID: cs.w.ID, Type: "flow", Status: store.StartPending,
		Query: ev.ContactQuery, URNs: ev.URNs, ParentSummary: ev.RunSummary, CreatedOn: cs.now, ModifiedOn: cs.now}
	if ev.Flow != nil {
		st.FlowUUID = string(ev.Flow.UUID)
	}
	st.Exclusions.InAFlow = ev.Exclusions.InAFlow
	for _, g := range ev.Groups {
		st.GroupUUIDs = append(st.GroupUUIDs, g.UUID)
	}
	for _, c := range ev.Contacts {
		st.ContactUUIDs = append(st.ContactUUIDs, c.UUID)
	}
	return st
}

// flowBroadcast is the broadcast a send_broadcast action asks for.
func (cs *contactScene) flowBroadcast(s *engine.Session, ev *event.BroadcastCreated) *store.Broadcast {
	tr, err := json.Marshal(ev.Translations)
	if err != nil {
		return nil
	}
	b := &store.Broadcast{UUID: uuids{}.NewV4(), WorkspaceID: cs.w.ID, Translations: tr, BaseLanguage: ev.BaseLanguage,
		URNs: ev.URNs, Query: ev.ContactQuery, Status: store.StartPending, ParentSession: s.UUID,
		CreatedOn: cs.now, ModifiedOn: cs.now}
	for _, g := range ev.Groups {
		b.GroupUUIDs = append(b.GroupUUIDs, g.UUID)
	}
	for _, c := range ev.Contacts {
		b.ContactUUIDs = append(b.ContactUUIDs, c.UUID)
	}
	return b
}

func (cs *contactScene) webhookLog(s *engine.Session, ev *event.WebhookCalled) *store.HTTPLog {
	l := &store.HTTPLog{WorkspaceID: cs.w.ID, Type: "webhook_called", URL: ev.URL, StatusCode: ev.StatusCode,
		Request: ev.Request, Response: ev.Response, IsError: ev.Status != "success", ElapsedMS: ev.ElapsedMS,
		CreatedOn: ev.CreatedOn}
	if len(l.Request) > 5 {
		if i := strings.IndexByte(l.Request, ' '); i > 0 {
			l.Method = l.Request[:i]
		}
	}
	if run := lastRun(s); run != nil && run.FlowRef != nil {
		l.FlowUUID = string(run.FlowRef.UUID)
	}
	return l
}

// finish writes the contact's final state, its sessions and runs, and its timers into the
// scene.
func (cs *contactScene) finish() error {
	for _, id := range cs.touchOrder {
		t := cs.touched[id]
		row, err := cs.sessionRow(t)
		if err != nil {
			return err
		}
		cs.scene.Sessions = append(cs.scene.Sessions, row)
		for _, run := range t.s.Runs {
			cs.scene.Runs = append(cs.scene.Runs, cs.runRow(t.s, run, t.startID))
		}
	}
	before := cs.snapshotForCampaigns()
	update, err := cs.w.storeContact(cs.c, cs.ec)
	if err != nil {
		return err
	}
	cs.c.ModifiedOn = cs.now
	cs.c.CurrentSessionUUID, cs.c.CurrentFlowUUID = "", ""
	if cs.waiting != nil {
		cs.c.CurrentSessionUUID = cs.waiting.UUID
		if wr := cs.waiting.WaitingRun(); wr != nil && wr.FlowRef != nil {
			cs.c.CurrentFlowUUID = string(wr.FlowRef.UUID)
		}
	}
	cs.scene.Contact = update
	cs.timers()
	cs.rescheduleCampaigns(before)
	return nil
}

// timers replaces the contact's session fires to match its waiting session (runtime.md §3).
func (cs *contactScene) timers() {
	if cs.waiting == nil {
		if cs.hadWaiting || len(cs.touched) > 0 {
			cs.scene.ClearWaitFires, cs.scene.ClearSessionFires = true, true
		}
		return
	}
	t := cs.touched[cs.waiting.UUID]
	if t == nil {
		return // the waiting session was not moved: its fires stand
	}
	cs.scene.ClearWaitFires = true
	base := store.Fire{WorkspaceID: cs.w.ID, ContactID: cs.c.ID, SessionUUID: cs.waiting.UUID, SprintUUID: t.sprint}
	if w := cs.lastWait; w != nil {
		if !w.ExpiresOn.IsZero() {
			f := base
			f.Type, f.FireOn = store.FireExpire, w.ExpiresOn
			cs.scene.Fires = append(cs.scene.Fires, &f)
		}
		if w.TimeoutSeconds != nil {
			on := cs.now.Add(time.Duration(*w.TimeoutSeconds) * time.Second)
			if w.ExpiresOn.IsZero() || on.Before(w.ExpiresOn) {
				f := base
				f.Type, f.FireOn = store.FireTimeout, on
				cs.scene.Fires = append(cs.scene.Fires, &f)
			}
		}
	}
	if cs.newWaiting {
		cs.scene.ClearSessionFires = true
		f := base
		f.Type = store.FireSessionExpire
		f.FireOn = cs.waiting.CreatedOn.Add(sessionExpiry + time.Duration(mrand.Int64N(int64(sessionExpiryJitter))))
		cs.scene.Fires = append(cs.scene.Fires, &f)
	}
}

func (cs *contactScene) sessionRow(t *touchedSession) (*store.Session, error) {
	s := t.s
	row := &store.Session{UUID: s.UUID, WorkspaceID: cs.w.ID, ContactID: cs.c.ID, Type: string(s.Type),
		Status: s.Status, CreatedOn: s.CreatedOn, ModifiedOn: cs.now, LastSprintUUID: t.sprint}
	if t.row != nil {
		row.CreatedOn = t.row.CreatedOn
		if t.sprint == "" {
			row.LastSprintUUID = t.row.LastSprintUUID
		}
	}
	if t.status != "" {
		row.Status = t.status
	}
	if row.Status == engine.SessionWaiting {
		if wr := s.WaitingRun(); wr != nil && wr.FlowRef != nil {
			row.CurrentFlow = string(wr.FlowRef.UUID)
		}
		data, err := s.MarshalJSON()
		if err != nil {
			return nil, err
		}
		row.State = packSession(data)
	} else {
		ended := cs.now
		row.EndedOn = &ended
	}
	return row, nil
}

func (cs *contactScene) runRow(s *engine.Session, run *engine.Run, startID int64) *store.Run {
	row := &store.Run{UUID: run.UUID, WorkspaceID: cs.w.ID, SessionUUID: s.UUID, ContactID: cs.c.ID,
		Status: run.Status, Responded: run.HadInput, CreatedOn: run.CreatedOn, ModifiedOn: run.ModifiedOn,
		ExitedOn: run.ExitedOn, StartID: startID}
	if run.FlowRef != nil {
		row.FlowUUID = string(run.FlowRef.UUID)
	}
	if len(run.Results) > 0 {
		row.Results, _ = json.Marshal(run.Results)
	}
	if len(run.Path) > 0 {
		row.Path, _ = json.Marshal(run.Path)
	}
	return row
}
