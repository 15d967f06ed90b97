package runtime

import (
	"context"
	"encoding/json"
	"fmt"

	"careflow/engine"
	"careflow/store"
)

func init() { taskHandlers[store.TaskMsg] = handleMsg }

// handleMsg handles an incoming message (runtime.md §2.2–2.3): a stopped contact becomes
// active again; a blocked one's message is archived and nothing runs; otherwise a keyword
// trigger (unless the waiting flow ignores triggers) or, with no waiting session, a catch-all
// starts a flow, else the waiting session resumes, else the message stays in the inbox. The
// contact's last_seen_on moves last, so flows see the previous value.
func handleMsg(ctx context.Context, cs *contactScene, t *store.ContactTask) error {
	var p msgPayload
	if err := json.Unmarshal(t.Payload, &p); err != nil {
		return fmt.Errorf("reading message task: %w", err)
	}
	handled := &store.Msg{ID: t.RefID, UUID: p.MsgUUID, Status: store.MsgHandled, Visibility: "visible"}
	cs.scene.MsgsHandled = append(cs.scene.MsgsHandled, handled)
	defer cs.seen()

	switch cs.ec.Status {
	case engine.StatusBlocked:
		handled.Visibility = "archived"
		return nil
	case engine.StatusStopped, engine.StatusArchived:
		cs.ec.Status = engine.StatusActive
	}
	if p.ChannelUUID != "" && !cs.channelLive(p.ChannelUUID) {
		return nil
	}
	msg := cs.msgEvent(&p)
	trig, keyword := cs.w.matchMsgTrigger(p.Text, p.ChannelUUID, cs.contactGroupSet())
	if trig != nil && trig.Type == TriggerKeyword && cs.waiting != nil && cs.waitingIgnoresTriggers() {
		trig = nil
	}
	if trig != nil && trig.Type == TriggerCatchAll && cs.waiting != nil {
		trig = nil
	}
	if trig != nil {
		f := cs.w.Flows[trig.FlowUUID]
		if f == nil || f.Archived {
			cs.rt.Log.Warn("trigger's flow is missing or archived", "trigger", trig.UUID, "flow", trig.FlowUUID)
		} else {
			tr := &engine.Trigger{Type: "msg", Flow: flowRef(f), Event: rawEvent(msg), Parsed: msg, TriggeredOn: cs.now}
			if keyword != "" {
				tr.KeywordMatch = &engine.KeywordMatch{Type: trig.MatchType, Keyword: keyword}
			}
			if err := cs.startSession(f, tr); err != nil {
				return err
			}
			handled.FlowUUID = f.UUID
			return nil
		}
	}
	if cs.waiting != nil {
		flowUUID := cs.c.CurrentFlowUUID
		if wr := cs.waiting.WaitingRun(); wr != nil && wr.FlowRef != nil {
			flowUUID = string(wr.FlowRef.UUID)
		}
		res := &engine.Resume{Type: "msg", Event: rawEvent(msg), ResumedOn: cs.now, Parsed: msg}
		if err := cs.resume(res); err != nil {
			return err
		}
		handled.FlowUUID = flowUUID
	}
	return nil
}

// seen moves the contact's last_seen_on forward.
func (cs *contactScene) seen() {
	t := cs.now
	cs.ec.LastSeenOn = &t
}

// waitingIgnoresTriggers says the waiting flow asked not to be interrupted by keywords.
func (cs *contactScene) waitingIgnoresTriggers() bool {
	wr := cs.waiting.WaitingRun()
	if wr == nil || wr.FlowRef == nil {
		return false
	}
	f := cs.w.Flows[string(wr.FlowRef.UUID)]
	return f != nil && f.IgnoreTriggers
}

func (cs *contactScene) channelLive(uuid string) bool {
	for _, c := range cs.w.Channels {
		if c.UUID == uuid {
			return true
		}
	}
	return false
}
