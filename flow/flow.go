package flow

import "encoding/json"

// CurrentSpecVersion is the flow spec version this package reads into and writes out.
const CurrentSpecVersion = "14.4.2"

// Type is a flow's type, which decides the actions and waits it may use.
type Type string

// The four flow types.
const (
	TypeMessaging           Type = "messaging"
	TypeMessagingBackground Type = "messaging_background"
	TypeMessagingOffline    Type = "messaging_offline"
	TypeVoice               Type = "voice"
)

// Valid reports whether t is one of the four flow types.
func (t Type) Valid() bool {
	switch t {
	case TypeMessaging, TypeMessagingBackground, TypeMessagingOffline, TypeVoice:
		return true
	}
	return false
}

// Definition limits, as enforced by the reference engine when reading.
const (
	MaxNodes             = 1000
	MaxActionsPerNode    = 100
	MaxExitsPerNode      = 100
	MaxCategories        = 100
	MaxCases             = 100
	MaxCaseArguments     = 10
	MaxUIBytes           = 256 * 1024
	MaxNameChars         = 64
	MaxItemsPerLanguage  = 10000
	MaxPropertiesPerItem = 10
	MaxValuesPerProperty = 10
	MaxTranslationChars  = 10000
)

// Flow is a flow definition at the current spec version.
//
// The first node is the entry point. Localization holds translations of action, case and category
// texts (spec §8). UI is the editor's layout data, kept byte for byte but never interpreted.
type Flow struct {
	UUID               UUID            `json:"uuid"`
	Name               string          `json:"name"`
	SpecVersion        string          `json:"spec_version"`
	Language           string          `json:"language"`
	Type               Type            `json:"type"`
	Revision           int             `json:"revision"`
	ExpireAfterMinutes int             `json:"expire_after_minutes"`
	Localization       Localization    `json:"localization"`
	Nodes              []*Node         `json:"nodes"`
	UI                 json.RawMessage `json:"_ui,omitempty"`
}

// ExpireAfter returns the minutes a waiting run may wait before the caller expires it: the
// definition's value, or the type default when it is 0 (messaging 4320, voice 5, others 0).
func (f *Flow) ExpireAfter() int {
	if f.ExpireAfterMinutes > 0 {
		return f.ExpireAfterMinutes
	}
	switch f.Type {
	case TypeMessaging:
		return 4320
	case TypeVoice:
		return 5
	}
	return 0
}

// Node returns the node with the given UUID, or nil.
func (f *Flow) Node(uuid NodeUUID) *Node {
	for _, n := range f.Nodes {
		if n.UUID == uuid {
			return n
		}
	}
	return nil
}

// Reference returns a reference to this flow, with its revision when withRevision is set (as
// runs and events carry it).
func (f *Flow) Reference(withRevision bool) *FlowRef {
	r := &FlowRef{UUID: f.UUID, Name: f.Name}
	if withRevision {
		r.Revision = f.Revision
	}
	return r
}

// MarshalJSON writes the flow at the current spec version. Nil localization and nodes are
// written as {} and [] as the reference engine does.
func (f *Flow) MarshalJSON() ([]byte, error) {
	type plain Flow
	out := plain(*f)
	out.SpecVersion = CurrentSpecVersion
	if out.Localization == nil {
		out.Localization = Localization{}
	}
	if out.Nodes == nil {
		out.Nodes = []*Node{}
	}
	return json.Marshal(&out)
}
