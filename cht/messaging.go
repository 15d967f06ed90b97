package cht

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"careflow/store"
)

// Messaging is CHT's side of the SMS gateway API for the messages CHT itself sends
// (cht.md §5.2, api/src/services/messaging.js): the task messages of documents
// (tasks[].messages[] and scheduled_tasks[].messages[]: auto-replies, scheduled messages,
// messages written from the app with kujua_message). The gateway poll takes the due ones
// and marks their tasks forwarded-to-gateway; the app's status updates move the tasks on,
// each change recorded in the task's state_history, as CHT's task-utils does.
type Messaging struct {
	docs     *Docs
	settings *Settings
	index    store.DocMessageStore
	Now      func() time.Time
}

// NewMessaging returns the service, or nil when the store does not index document messages.
func NewMessaging(docs *Docs, settings *Settings) *Messaging {
	idx, ok := docs.Store.(store.DocMessageStore)
	if !ok {
		return nil
	}
	return &Messaging{docs: docs, settings: settings, index: idx, Now: time.Now}
}

// OutgoingSMS is a message for the gateway app, in CHT's shape.
type OutgoingSMS struct {
	Content string `json:"content"`
	To      string `json:"to"`
	ID      string `json:"id"`
}

// TaskStateChange sets the state of the task holding message MessageID.
type TaskStateChange struct {
	MessageID string
	State     string
	// Details becomes the task's state_details (nil: none).
	Details map[string]string
}

// Outgoing returns up to limit messages whose tasks are pending or forwarded-to-gateway,
// earliest due first, with their recipients normalised as CHT does (kept as written when
// they do not normalise). It changes nothing: MarkForwarded does, for those handed out.
func (m *Messaging) Outgoing(ctx context.Context, limit int) ([]OutgoingSMS, error) {
	rows, err := m.index.OutgoingDocMessages(ctx, limit)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	var ids []string
	seen := map[string]bool{}
	for _, r := range rows {
		if !seen[r.DocID] {
			seen[r.DocID] = true
			ids = append(ids, r.DocID)
		}
	}
	docs, err := m.docs.Store.GetDocs(ctx, ids)
	if err != nil {
		return nil, err
	}
	settings, err := m.settings.Get(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]map[string]OutgoingSMS{}
	for _, d := range docs {
		byID[d.ID] = docOutgoing(d.Fields)
	}
	out := make([]OutgoingSMS, 0, len(rows))
	for _, r := range rows {
		sms, ok := byID[r.DocID][r.UUID]
		if !ok {
			continue // the document changed since the index was read
		}
		if n, ok := NormalizePhone(settings, sms.To); ok {
			sms.To = n
		}
		out = append(out, sms)
	}
	return out, nil
}

// docOutgoing reads a document's messages that are still to be handed out, by uuid.
func docOutgoing(fields json.RawMessage) map[string]OutgoingSMS {
	var d struct {
		Tasks          []taskJSON `json:"tasks"`
		ScheduledTasks []taskJSON `json:"scheduled_tasks"`
	}
	_ = json.Unmarshal(fields, &d)
	out := map[string]OutgoingSMS{}
	for _, t := range append(d.Tasks, d.ScheduledTasks...) {
		if t.State != "pending" && t.State != "forwarded-to-gateway" {
			continue
		}
		for _, msg := range t.Messages {
			if _, dup := out[msg.UUID]; !dup && msg.UUID != "" && msg.To != "" && msg.Message != "" {
				out[msg.UUID] = OutgoingSMS{Content: msg.Message, To: msg.To, ID: msg.UUID}
			}
		}
	}
	return out
}

type taskJSON struct {
	State    string `json:"state"`
	Messages []struct {
		UUID    string `json:"uuid"`
		To      string `json:"to"`
		Message string `json:"message"`
	} `json:"messages"`
}

// MarkForwarded records that the app was given these messages; those forwarded already are
// left as they are, so handing a message out again writes nothing.
func (m *Messaging) MarkForwarded(ctx context.Context, ids []string) error {
	changes := make([]TaskStateChange, len(ids))
	for i, id := range ids {
		changes[i] = TaskStateChange{MessageID: id, State: "forwarded-to-gateway"}
	}
	_, err := m.UpdateStates(ctx, changes)
	return err
}

// conflictRetries is how often CHT retries the documents whose save conflicted.
const conflictRetries = 3

// UpdateStates applies changes to the tasks holding their messages, in order, and reports
// the message ids it found. Documents whose save conflicts with another write are read again
// and retried, three times at most, as CHT's updateMessageTaskStates does.
func (m *Messaging) UpdateStates(ctx context.Context, changes []TaskStateChange) (map[string]bool, error) {
	found := map[string]bool{}
	for attempt := 0; len(changes) > 0; attempt++ {
		if attempt > conflictRetries {
			return found, errors.New("updating message task states: documents kept conflicting")
		}
		var err error
		if changes, err = m.updateOnce(ctx, changes, found); err != nil {
			return found, err
		}
	}
	return found, nil
}

// updateOnce applies changes and returns those whose documents conflicted.
func (m *Messaging) updateOnce(ctx context.Context, changes []TaskStateChange, found map[string]bool) ([]TaskStateChange, error) {
	uuids := make([]string, 0, len(changes))
	for _, c := range changes {
		uuids = append(uuids, c.MessageID)
	}
	rows, err := m.index.DocMessagesByUUID(ctx, uuids)
	if err != nil {
		return nil, err
	}
	var ids []string
	seen := map[string]bool{}
	for _, r := range rows {
		if !seen[r.DocID] {
			seen[r.DocID] = true
			ids = append(ids, r.DocID)
		}
	}
	docs, err := m.docs.Store.GetDocs(ctx, ids)
	if err != nil {
		return nil, err
	}
	parsed := make([]*object, 0, len(docs))
	for _, d := range docs {
		v, err := parseOrdered(d.Fields)
		o, ok := v.(*object)
		if err != nil || !ok {
			return nil, fmt.Errorf("document %s: unreadable", d.ID)
		}
		parsed = append(parsed, o)
	}
	now := m.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	byDoc := map[int][]TaskStateChange{}
	for _, c := range changes {
		for i, o := range parsed {
			task := taskForMessage(o, c.MessageID)
			if task == nil {
				continue
			}
			found[c.MessageID] = true
			if setTaskState(task, c.State, c.Details, now) {
				byDoc[i] = append(byDoc[i], c)
			}
			break
		}
	}
	if len(byDoc) == 0 {
		return nil, nil
	}
	var writes []store.DocWrite
	var slots []int
	for i, d := range docs {
		if len(byDoc[i]) == 0 {
			continue
		}
		w, err := docWrite(d.ID, parsed[i])
		if err != nil {
			return nil, err
		}
		w.Rev = d.Rev
		writes = append(writes, w)
		slots = append(slots, i)
	}
	res, err := m.docs.Write(ctx, writes)
	if err != nil {
		return nil, err
	}
	var retry []TaskStateChange
	for j, r := range res {
		switch {
		case r.Err == nil:
		case errors.Is(r.Err, store.ErrConflict):
			retry = append(retry, byDoc[slots[j]]...)
		default:
			return nil, fmt.Errorf("saving %s: %w", r.ID, r.Err)
		}
	}
	return retry, nil
}

// taskForMessage finds the task whose messages include uuid: tasks first, then
// scheduled_tasks, as CHT looks.
func taskForMessage(doc *object, uuid string) *object {
	for _, key := range []string{"tasks", "scheduled_tasks"} {
		v, _ := doc.get(key)
		tasks, _ := v.([]any)
		for _, t := range tasks {
			task, ok := t.(*object)
			if !ok {
				continue
			}
			mv, _ := task.get("messages")
			msgs, _ := mv.([]any)
			for _, mm := range msgs {
				if msg, ok := mm.(*object); ok {
					if id, _ := msg.get("uuid"); id == uuid {
						return task
					}
				}
			}
		}
	}
	return nil
}

// setTaskState is CHT's task-utils setTaskState: a repeat of the current state (same details,
// last in the history) changes nothing; otherwise state and state_details are set, the
// gateway_ref dropped (the gateway app has none) and the change appended to state_history
// with its ISO timestamp. It reports whether the task changed. CHT compares details by
// identity, so a repeated failure with its reason would be recorded again there; careflow
// compares them by value, as the spec's "a repeat of the current state is ignored" says.
func setTaskState(task *object, state string, details map[string]string, now string) bool {
	hv, _ := task.get("state_history")
	history, _ := hv.([]any)
	cur, _ := task.get("state")
	if cur == state && lastHistoryState(history) == state && sameDetails(task, details) {
		return false
	}
	task.set("state", state)
	entry := newObject()
	entry.set("state", state)
	if details != nil {
		d := detailsObject(details)
		task.set("state_details", d)
		entry.set("state_details", d)
	} else {
		task.del("state_details")
	}
	task.del("gateway_ref")
	entry.set("timestamp", now)
	task.set("state_history", append(history, entry))
	return true
}

func lastHistoryState(history []any) any {
	if len(history) == 0 {
		return nil
	}
	if last, ok := history[len(history)-1].(*object); ok {
		s, _ := last.get("state")
		return s
	}
	return nil
}

// sameDetails: no details asked for, or the task's are the same value.
func sameDetails(task *object, details map[string]string) bool {
	if details == nil {
		return true
	}
	cur, ok := task.get("state_details")
	if !ok {
		return false
	}
	a, _ := marshalValue(cur)
	b, _ := marshalValue(detailsObject(details))
	return bytes.Equal(a, b)
}

func detailsObject(details map[string]string) *object {
	keys := make([]string, 0, len(details))
	for k := range details {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	o := newObject()
	for _, k := range keys {
		o.set(k, details[k])
	}
	return o
}

// gatewayStates maps the gateway app's statuses to CHT's task states.
var gatewayStates = map[string]string{"UNSENT": "received-by-gateway", "PENDING": "forwarded-by-gateway", "SENT": "sent",
	"DELIVERED": "delivered", "FAILED": "failed"}

// GatewayStateChange turns a status update of the gateway app into a task state change, as
// CHT's sms-gateway controller does: a reason becomes state_details.reason; an unknown or
// missing status the state "unrecognised" with the status in state_details.gateway_status.
func GatewayStateChange(id, status, reason string) TaskStateChange {
	c := TaskStateChange{MessageID: id, State: gatewayStates[status]}
	switch {
	case c.State == "":
		c.State, c.Details = "unrecognised", map[string]string{}
		if status != "" {
			c.Details["gateway_status"] = status
		}
	case reason != "":
		c.Details = map[string]string{"reason": reason}
	}
	return c
}
