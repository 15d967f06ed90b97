package engine

import (
	"careflow/engine/event"
	"careflow/expr"
)

// Modifier is a change to a contact (flows.md §3.3). Apply makes the change, logs its events and
// reports whether the contact changed; query-based groups are re-evaluated afterwards.
type Modifier interface {
	Type() string
	Apply(m *ModifierEnv, c *Contact, log func(event.Event)) bool
}

// ModifierEnv is what modifiers may use.
type ModifierEnv struct {
	Engine *Engine
	Assets *Assets
	Env    *expr.Environment
}

// Apply runs a modifier on the session's contact and re-evaluates its groups if it changed.
func (s *Session) Apply(m Modifier) bool {
	me := &ModifierEnv{Engine: s.eng, Assets: s.assets, Env: s.Env()}
	changed := m.Apply(me, s.contact, s.Log)
	if changed {
		s.contactGen++
		s.changed()
		s.envStale = true
		s.ReevaluateGroups()
	}
	return changed
}

// ApplyModifier applies a modifier outside any session (the modifiers API): the events are
// returned with UUIDs and times from the engine.
func (e *Engine) ApplyModifier(assets *Assets, env *expr.Environment, c *Contact, m Modifier) []event.Event {
	var events []event.Event
	log := func(ev event.Event) {
		ev.Common().Stamp(e.UUIDs.NewV7(), e.Clock.Now())
		events = append(events, ev)
	}
	// values the modifier parses (field dates) read the engine's clock, as in a session
	if env.Clock == nil {
		withClock := *env
		withClock.Clock = e.Clock
		env = &withClock
	}
	me := &ModifierEnv{Engine: e, Assets: assets, Env: env}
	if m.Apply(me, c, log) {
		added, removed := ReevaluateGroups(c, assets, env)
		if len(added) > 0 || len(removed) > 0 {
			log(event.NewContactGroupsChanged(added, removed))
		}
	}
	return events
}

// NewUUID7 makes a version 7 UUID (tickets).
func (m *ModifierEnv) NewUUID7() string { return m.Engine.UUIDs.NewV7() }
