package runtime

import (
	"context"
	"encoding/json"
	"errors"

	"careflow/engine"
	"careflow/flow"
	"careflow/store"
)

func init() { taskHandlers[store.TaskStart] = handleStart }

// handleStart starts a flow start's flow for the contact (runtime.md §1): a manual trigger
// with the start's params (or a flow_action trigger carrying the parent run for starts made
// by start_session), batch-marked when the start has more than one contact. Starts
// interrupted since they were queued do nothing.
func handleStart(ctx context.Context, cs *contactScene, t *store.ContactTask) error {
	st, err := cs.batch.start(ctx, t.RefID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Status == store.StartInterrupted || st.Status == store.StartFailed {
		return nil
	}
	f := cs.w.Flows[st.FlowUUID]
	if f == nil || f.Archived {
		return nil
	}
	if f.Type == string(flow.TypeVoice) {
		cs.rt.Log.Warn("start of a voice flow skipped; no IVR channel can place the call", "start", st.UUID)
		return nil
	}
	tr := &engine.Trigger{Type: "manual", Flow: flowRef(f), TriggeredOn: cs.now, Batch: st.ContactCount > 1}
	params := st.Params
	if len(params) == 0 || string(params) == "null" {
		params = json.RawMessage(`{}`)
	}
	switch st.Type {
	case "flow":
		tr.Type = "flow_action"
		tr.RunSummary = st.ParentSummary
	case "campaign":
		tr.Type = "campaign"
	default:
		tr.Params = params
		tr.Origin = st.Type
		if st.Type == "manual" {
			tr.Origin = "ui"
		}
		if st.CreatedBy != "" {
			tr.User = &flow.UserRef{Email: st.CreatedBy, Name: st.CreatedBy}
		}
	}
	cs.startID = st.ID
	defer func() { cs.startID = 0 }()
	return cs.startSession(f, tr)
}
