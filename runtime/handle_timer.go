package runtime

import (
	"context"
	"encoding/json"
	"fmt"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/store"
)

func init() {
	taskHandlers[store.TaskTimeout] = handleWaitTimeout
	taskHandlers[store.TaskExpire] = handleWaitExpire
	taskHandlers[store.TaskSessionExpire] = handleSessionExpire
	taskHandlers[store.TaskInterrupt] = handleInterrupt
}

// firePayload is the payload of a task made from a fire.
type firePayload struct {
	SessionUUID string `json:"session_uuid"`
	SprintUUID  string `json:"sprint_uuid"`
	Scope       string `json:"scope,omitempty"`
	FireID      int64  `json:"fire_id,omitempty"`
}

// currentFire reads a fire task and says whether it is still about the contact's waiting
// session as it was when the fire was made (a fire the session has moved past is stale).
func (cs *contactScene) currentFire(t *store.ContactTask, checkSprint bool) (bool, error) {
	var p firePayload
	if err := json.Unmarshal(t.Payload, &p); err != nil {
		return false, fmt.Errorf("reading fire task: %w", err)
	}
	if cs.waiting == nil || cs.waiting.UUID != p.SessionUUID {
		return false, nil
	}
	if !checkSprint {
		return true, nil
	}
	sprint := ""
	if tt := cs.touched[cs.waiting.UUID]; tt != nil {
		sprint = tt.sprint
	} else if cs.waitingRow != nil {
		sprint = cs.waitingRow.LastSprintUUID
	}
	return sprint == p.SprintUUID, nil
}

// handleWaitTimeout resumes the waiting session through its router's timeout category.
func handleWaitTimeout(ctx context.Context, cs *contactScene, t *store.ContactTask) error {
	ok, err := cs.currentFire(t, true)
	if !ok || err != nil {
		return err
	}
	ev := &event.WaitTimedOut{Base: event.Base{UUID: uuids{}.NewV7(), EventType: event.TypeWaitTimedOut, CreatedOn: cs.now}}
	return cs.resume(&engine.Resume{Type: "wait_timeout", Event: rawEvent(ev), ResumedOn: cs.now, Parsed: ev})
}

// handleWaitExpire expires the waiting run: a parent run resumes through its Expired
// category, and with none the session ends (runtime.md §3).
func handleWaitExpire(ctx context.Context, cs *contactScene, t *store.ContactTask) error {
	ok, err := cs.currentFire(t, true)
	if !ok || err != nil {
		return err
	}
	ev := &event.WaitExpired{Base: event.Base{UUID: uuids{}.NewV7(), EventType: event.TypeWaitExpired, CreatedOn: cs.now}}
	return cs.resume(&engine.Resume{Type: "wait_expiration", Event: rawEvent(ev), ResumedOn: cs.now, Parsed: ev})
}

// handleSessionExpire ends a session that has waited 30 days as expired.
func handleSessionExpire(ctx context.Context, cs *contactScene, t *store.ContactTask) error {
	ok, err := cs.currentFire(t, false)
	if !ok || err != nil {
		return err
	}
	cs.interruptWaiting("expired")
	return nil
}

// handleInterrupt interrupts the waiting session (API contact_actions interrupt).
func handleInterrupt(ctx context.Context, cs *contactScene, t *store.ContactTask) error {
	cs.interruptWaiting(engine.SessionInterrupted)
	return nil
}
