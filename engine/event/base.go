package event

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Event is any event. Base gives access to the common fields.
type Event interface {
	Type() string
	Common() *Base
}

// Base holds the fields every event has. _user and _via are only ever set by callers.
type Base struct {
	UUID      string          `json:"uuid"`
	EventType string          `json:"type"`
	CreatedOn time.Time       `json:"created_on"`
	User      json.RawMessage `json:"_user,omitempty"`
	Via       string          `json:"_via,omitempty"`
}

// Type is the wire name of the event.
func (b *Base) Type() string { return b.EventType }

// Common returns the shared fields.
func (b *Base) Common() *Base { return b }

// Stamp sets the event's UUID and creation time.
func (b *Base) Stamp(uuid string, t time.Time) {
	b.UUID = uuid
	b.CreatedOn = t
}

func base(t string) Base { return Base{EventType: t} }

var registry = map[string]func() Event{}

func register(name string, fn func() Event) {
	if _, dup := registry[name]; dup {
		panic("event: type registered twice: " + name)
	}
	registry[name] = fn
}

// Types lists the registered event types.
func Types() []string {
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Read decodes an event of any registered type.
func Read(data []byte) (Event, error) {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, err
	}
	if head.Type == "" {
		return nil, fmt.Errorf("field 'type' is required")
	}
	fn := registry[head.Type]
	if fn == nil {
		return nil, fmt.Errorf("unknown type: '%s'", head.Type)
	}
	e := fn()
	if err := json.Unmarshal(data, e); err != nil {
		return nil, err
	}
	return e, nil
}
