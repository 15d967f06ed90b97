package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"careflow/engine"
	"careflow/engine/modifier"
	"careflow/store"
)

func init() {
	taskHandlers[store.TaskModify] = handleModify
}

// ModifyPayload is the payload of a store.TaskModify task.
type ModifyPayload struct {
	Modifiers []json.RawMessage `json:"modifiers"`
	// Interrupt ends the contact's waiting session first (blocking, deleting).
	Interrupt bool `json:"interrupt,omitempty"`
}

// handleModify applies the API's modifiers to the contact inside its task order, so an update
// never races a flow writing the same contact; the scene stores the result.
func handleModify(ctx context.Context, cs *contactScene, t *store.ContactTask) error {
	var p ModifyPayload
	if err := json.Unmarshal(t.Payload, &p); err != nil {
		return fmt.Errorf("reading modify task: %w", err)
	}
	if p.Interrupt {
		cs.interruptWaiting(engine.SessionInterrupted)
	}
	for _, raw := range p.Modifiers {
		m, err := modifier.Read(raw)
		if err != nil {
			// Modifiers are checked before they are queued; one unreadable now is dropped
			// rather than blocking the contact's queue.
			cs.rt.Log.Warn("modify task: unreadable modifier dropped", "task", t.ID, "error", err)
			continue
		}
		cs.w.Engine.ApplyModifier(cs.w.Assets, cs.w.Env, cs.ec, m)
	}
	if cs.ec.Status != engine.StatusActive {
		// Blocked, stopped and archived contacts leave their flows, as in RapidPro.
		cs.interruptWaiting(engine.SessionInterrupted)
	}
	return nil
}

// QueueContactTask queues one task for a contact and wakes the workers.
func (r *Runtime) QueueContactTask(ctx context.Context, t *store.ContactTask) error {
	if t.CreatedOn.IsZero() {
		t.CreatedOn = r.Clock.Now()
	}
	if err := r.Store.QueueTasks(ctx, []*store.ContactTask{t}); err != nil {
		return err
	}
	r.Wake()
	return nil
}

// TaskDoneFunc reports whether a queued task has been handled.
type TaskDoneFunc func(ctx context.Context, id int64) (bool, error)

// WaitTask polls until a task is handled or the wait ends; it reports whether it was handled.
func WaitTask(ctx context.Context, done TaskDoneFunc, id int64, wait time.Duration) (bool, error) {
	deadline := time.Now().Add(wait)
	delay := 5 * time.Millisecond
	for {
		ok, err := done(ctx, id)
		if err != nil || ok {
			return ok, err
		}
		if time.Now().After(deadline) {
			return false, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*2, 50*time.Millisecond)
	}
}
