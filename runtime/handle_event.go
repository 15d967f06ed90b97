package runtime

import (
	"context"
	"encoding/json"
	"fmt"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/store"
)

func init() { taskHandlers[store.TaskEvent] = handleEvent }

// eventTriggers maps channel events to the trigger type they look for.
var eventTriggers = map[string]string{
	EventNewConversation: TriggerNewConversation,
	EventReferral:        TriggerReferral,
	EventMissedCall:      TriggerMissedCall,
	EventIncomingCall:    TriggerIncomingCall,
}

// handleEvent handles a channel event (runtime.md §2.4–2.5): a stop opts the contact out; a
// new conversation or referral un-stops the contact and, like a missed call, starts the flow
// of the best matching trigger. Blocked contacts never start flows from events.
func handleEvent(ctx context.Context, cs *contactScene, t *store.ContactTask) error {
	var p msgPayload
	if err := json.Unmarshal(t.Payload, &p); err != nil {
		return fmt.Errorf("reading event task: %w", err)
	}
	defer cs.seen()
	switch p.Event {
	case EventStopContact:
		cs.interruptWaiting(engine.SessionInterrupted)
		cs.ec.Status = engine.StatusStopped
		return nil
	case EventNewConversation, EventReferral, EventWelcome:
		if cs.ec.Status == engine.StatusStopped {
			cs.ec.Status = engine.StatusActive
		}
	}
	if cs.ec.Status == engine.StatusBlocked {
		return nil
	}
	typ := eventTriggers[p.Event]
	if typ == "" {
		return nil
	}
	trig := cs.w.matchEventTrigger(typ, p.ChannelUUID, p.Extra["referrer_id"], cs.contactGroupSet())
	if trig == nil {
		return nil
	}
	f := cs.w.Flows[trig.FlowUUID]
	if f == nil || f.Archived {
		return nil
	}
	if f.Type == "voice" {
		// Voice flows run on calls, which need an IVR channel careflow does not have.
		cs.rt.Log.Warn("trigger starts a voice flow; no IVR channel can place the call", "trigger", trig.UUID)
		return nil
	}
	tr := &engine.Trigger{Flow: flowRef(f), TriggeredOn: cs.now}
	switch p.Event {
	case EventNewConversation, EventReferral:
		ev := &event.ChatStarted{Base: event.Base{UUID: uuids{}.NewV7(), EventType: event.TypeChatStarted, CreatedOn: p.ReceivedOn},
			Channel: cs.channelRef(p.ChannelUUID), Params: p.Extra}
		if ev.Params == nil {
			ev.Params = map[string]string{}
		}
		tr.Type, tr.Event, tr.Parsed = "chat", rawEvent(ev), ev
	default:
		ev := &event.CallMissed{Base: event.Base{UUID: uuids{}.NewV7(), EventType: event.TypeCallMissed, CreatedOn: p.ReceivedOn},
			Channel: cs.channelRef(p.ChannelUUID)}
		tr.Type, tr.Event, tr.Parsed = "call", rawEvent(ev), ev
	}
	return cs.startSession(f, tr)
}
