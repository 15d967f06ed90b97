package store

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"time"
)

// DocMessage is one outgoing SMS inside a CHT document: a message of a task in the
// document's tasks or scheduled_tasks (cht.md §5.2). The store keeps one row per message as
// CHT's medic/messages_by_state and medic-sms/messages_by_uuid views do, written in the
// same transaction as the document, so the gateway poll finds what is due without reading
// every document.
type DocMessage struct {
	DocID string
	UUID  string
	// Pos is the message's place in the order the views emit it (tasks, then scheduled_tasks).
	Pos   int
	State string
	// Due is the task's due time in epoch milliseconds (due, else timestamp, else the
	// document's reported_date); HasDue is false when none is a number or a date.
	Due    int64
	HasDue bool
	// Outgoing: the task is pending or forwarded-to-gateway, the message has a recipient and
	// text, and the task has a due time — what CHT hands the gateway app.
	Outgoing bool
}

// DocMessageStore finds documents' outgoing messages.
type DocMessageStore interface {
	// OutgoingDocMessages returns up to limit outgoing messages, earliest due first (then by
	// document id and position), as CHT's ['pending-or-forwarded', due] view range does.
	OutgoingDocMessages(ctx context.Context, limit int) ([]DocMessage, error)
	// DocMessagesByUUID returns the messages, of any state, with the given uuids.
	DocMessagesByUUID(ctx context.Context, uuids []string) ([]DocMessage, error)
}

// MaxDocMessages bounds the messages indexed per document; a document with more keeps the
// first ones (CHT documents carry a handful).
const MaxDocMessages = 1000

// DocMessages lists the messages of a document's fields as the views emit them: each message
// with a uuid of a task that has messages, once per uuid.
func DocMessages(docID string, fields json.RawMessage) []DocMessage {
	if !bytes.Contains(fields, []byte(`"messages"`)) || !bytes.Contains(fields, []byte(`tasks"`)) {
		return nil // the common case (records carry "tasks":[]): no task can hold a message
	}
	var d struct {
		Tasks          json.RawMessage `json:"tasks"`
		ScheduledTasks json.RawMessage `json:"scheduled_tasks"`
		ReportedDate   any             `json:"reported_date"`
	}
	dec := json.NewDecoder(bytes.NewReader(fields))
	dec.UseNumber()
	if dec.Decode(&d) != nil {
		return nil
	}
	var out []DocMessage
	seen := map[string]bool{}
	for _, raw := range []json.RawMessage{d.Tasks, d.ScheduledTasks} {
		var tasks []map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if len(raw) == 0 || dec.Decode(&tasks) != nil {
			continue // not an array of objects: the views skip it
		}
		for _, t := range tasks {
			msgs, _ := t["messages"].([]any)
			state, _ := t["state"].(string)
			due, hasDue := taskDue(t, d.ReportedDate)
			for _, m := range msgs {
				msg, _ := m.(map[string]any)
				uuid, _ := msg["uuid"].(string)
				if uuid == "" || seen[uuid] || len(out) >= MaxDocMessages {
					continue
				}
				seen[uuid] = true
				to, _ := msg["to"].(string)
				text, _ := msg["message"].(string)
				out = append(out, DocMessage{DocID: docID, UUID: uuid, Pos: len(out), State: state, Due: due, HasDue: hasDue,
					Outgoing: (state == "pending" || state == "forwarded-to-gateway") && to != "" && text != "" && hasDue && due >= 0})
			}
		}
	}
	return out
}

// taskDue is the view's due: task.due || task.timestamp || doc.reported_date, a string read
// as a date.
func taskDue(task map[string]any, reported any) (int64, bool) {
	for _, v := range []any{task["due"], task["timestamp"], reported} {
		switch x := v.(type) {
		case json.Number:
			f, err := x.Float64()
			if err != nil || f == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
				continue
			}
			return int64(f), true
		case string:
			if x == "" {
				continue
			}
			return parseISODate(x)
		case nil, bool:
			if x == true {
				return 0, false // true sorts before numbers in CouchDB's collation: outside the range
			}
			continue
		default:
			return 0, false // an object or array: outside the view's range
		}
	}
	return 0, false
}

// parseISODate reads the dates CHT writes (toISOString, a date alone, or with an offset).
func parseISODate(s string) (int64, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMilli(), true
		}
	}
	return 0, false
}
