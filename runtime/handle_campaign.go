package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
	"careflow/store"
)

func init() { taskHandlers[store.TaskCampaign] = handleCampaign }

// handleCampaign fires a campaign event for the contact (runtime.md §4): nothing when the
// event is gone, was edited since the fire was made (another version), or its campaign is
// archived or no longer on one of the contact's groups; else the flow starts with a campaign
// trigger or the message is sent, as the event's start mode says.
func handleCampaign(ctx context.Context, cs *contactScene, t *store.ContactTask) error {
	var p firePayload
	if err := json.Unmarshal(t.Payload, &p); err != nil {
		return fmt.Errorf("reading campaign fire: %w", err)
	}
	id, version, ok := parseCampaignScope(p.Scope)
	if !ok {
		return nil
	}
	ev, camp, err := cs.batch.campaignEvent(ctx, cs.w.ID, id)
	if err != nil || ev == nil || ev.FireVersion != version || camp.Archived || !cs.inGroup(camp.GroupID) {
		return err
	}
	if cs.ec.Status != engine.StatusActive {
		return nil
	}
	switch ev.StartMode {
	case store.CampaignStartSkip:
		if cs.waiting != nil {
			return nil
		}
	case store.CampaignStartPassive:
	default:
		cs.interruptWaiting(engine.SessionInterrupted)
	}
	if ev.EventType == store.CampaignEventMessage {
		var trs map[string]*event.BroadcastTranslation
		if err := json.Unmarshal(ev.Translations, &trs); err != nil {
			return fmt.Errorf("campaign event %s message: %w", ev.UUID, err)
		}
		cs.sendMessage(trs, ev.BaseLanguage)
		return nil
	}
	f := cs.w.Flows[ev.FlowUUID]
	if f == nil || f.Archived {
		return nil
	}
	if f.Type == string(flow.TypeVoice) {
		cs.rt.Log.Warn("campaign event of a voice flow skipped; no IVR channel can place the call", "event", ev.UUID)
		return nil
	}
	fired := &event.CampaignFired{Base: event.Base{UUID: uuids{}.NewV7(), EventType: event.TypeCampaignFired, CreatedOn: cs.now},
		Campaign: &event.CampaignRef{UUID: camp.UUID, Name: camp.Name}, PointUUID: ev.UUID}
	tr := &engine.Trigger{Type: "campaign", Flow: flowRef(f), TriggeredOn: cs.now, Event: rawEvent(fired), Parsed: fired}
	if ev.StartMode == store.CampaignStartPassive {
		return cs.startPassive(f, tr)
	}
	return cs.startSession(f, tr)
}

// startPassive starts a flow without interrupting the waiting session: a background flow
// runs as usual; with another session waiting, the flow runs to its first wait and ends
// there (a contact waits in one session at a time).
func (cs *contactScene) startPassive(f *store.Flow, tr *engine.Trigger) error {
	if f.Type == string(flow.TypeMessagingBackground) || cs.waiting == nil {
		return cs.startSession(f, tr)
	}
	s, sprint, err := cs.w.Engine.Start(cs.w.Assets, cs.w.Env, cs.ec, tr, nil)
	if err != nil {
		return err
	}
	t := cs.touchSprint(s, sprint)
	if s.Status == engine.SessionWaiting {
		t.status = engine.SessionInterrupted
	}
	return nil
}

func (cs *contactScene) inGroup(groupID int64) bool {
	for _, g := range cs.ec.Groups {
		if sg := cs.w.Groups[g.UUID]; sg != nil && sg.ID == groupID {
			return true
		}
	}
	return false
}

// parseCampaignScope reads "<event id>:<version>".
func parseCampaignScope(scope string) (int64, int, bool) {
	a, b, ok := strings.Cut(scope, ":")
	if !ok {
		return 0, 0, false
	}
	id, err1 := strconv.ParseInt(a, 10, 64)
	v, err2 := strconv.Atoi(b)
	return id, v, err1 == nil && err2 == nil
}

// campaignEvent loads an event and its campaign from the store once per batch (not from the
// cached workspace: a fire must see an edit made a moment ago on another node). A deleted
// event is nil.
func (b *batchCache) campaignEvent(ctx context.Context, wsID, id int64) (*store.CampaignEvent, *store.Campaign, error) {
	if b.events == nil {
		b.events = map[int64]*store.CampaignEvent{}
		b.campaigns = map[int64]*store.Campaign{}
	}
	ev, ok := b.events[id]
	if !ok {
		var err error
		ev, err = b.rt.Store.GetCampaignEventByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			ev, err = nil, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if ev != nil && ev.WorkspaceID != wsID {
			ev = nil
		}
		b.events[id] = ev
	}
	if ev == nil {
		return nil, nil, nil
	}
	camp := b.campaigns[ev.CampaignID]
	if camp == nil {
		camps, err := b.rt.Store.ListCampaigns(ctx, wsID)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range camps {
			b.campaigns[c.ID] = c
		}
		if camp = b.campaigns[ev.CampaignID]; camp == nil {
			return nil, nil, nil
		}
	}
	return ev, camp, nil
}

// touchSprint takes a sprint that must not become the contact's waiting session.
func (cs *contactScene) touchSprint(s *engine.Session, sprint *engine.Sprint) *touchedSession {
	cs.afterSprint(s, nil, sprint, false)
	return cs.touched[s.UUID]
}
