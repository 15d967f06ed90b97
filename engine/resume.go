package engine

import (
	"encoding/json"
	"fmt"
	"time"

	"careflow/engine/event"
)

// Resume is what continues a waiting session (flows.md §11.2).
type Resume struct {
	Type      string          `json:"type"`
	Event     json.RawMessage `json:"event"`
	ResumedOn time.Time       `json:"resumed_on"`

	Parsed event.Event `json:"-"`
}

// ResumeType is the behaviour of one resume type.
type ResumeType struct {
	// Read decodes and checks the event.
	Read func(r *Resume) error
	// Apply runs before routing: it sets or clears the input. It returns true when the waiting
	// run should expire instead of routing.
	Apply func(s *Session, r *Resume, run *Run) (expire bool)
	// Timeout is set for wait_timeout resumes: route to the timeout category.
	Timeout bool
}

var resumeTypes = map[string]*ResumeType{}

// RegisterResume registers a resume type.
func RegisterResume(name string, t *ResumeType) {
	if _, dup := resumeTypes[name]; dup {
		panic("engine: resume registered twice: " + name)
	}
	resumeTypes[name] = t
}

// ReadResume reads a resume.
func ReadResume(data []byte) (*Resume, error) {
	r := &Resume{}
	if err := json.Unmarshal(data, r); err != nil {
		return nil, err
	}
	rt := resumeTypes[r.Type]
	if rt == nil {
		return nil, fmt.Errorf("unknown type: '%s'", r.Type)
	}
	if rt.Read != nil {
		if err := rt.Read(r); err != nil {
			return nil, err
		}
	}
	return r, nil
}
