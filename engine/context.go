package engine

import "careflow/expr"

// rootItem is one top-level context item: its name, the generation that tells when it must
// be rebuilt, and how to build it.
type rootItem struct {
	name       string
	deprecated string
	gen        func(r *Run) uint64
	build      func(r *Run, env *expr.Environment) expr.Value
	// absent, when set, says the item is null right now (no lazy value needed).
	absent func(r *Run) bool
}

func sessionGen(r *Run) uint64  { return r.session.gen }
func contactGen(r *Run) uint64  { return r.session.contactGen }
func constantGen(r *Run) uint64 { return 0 }

var rootItems = []rootItem{
	{name: "contact", gen: contactGen, build: func(r *Run, env *expr.Environment) expr.Value {
		return r.session.contactValue(env, r.session.contact)
	}},
	{name: "fields", gen: contactGen, build: func(r *Run, env *expr.Environment) expr.Value {
		return r.session.fieldsValue(env, r.session.contact)
	}},
	{name: "urns", gen: contactGen, build: func(r *Run, env *expr.Environment) expr.Value { return r.session.urnsValue(r.session.contact) }},
	{name: "results", gen: func(r *Run) uint64 { return r.resultsGen }, build: func(r *Run, env *expr.Environment) expr.Value {
		return r.resultsValue(env)
	}},
	{name: "locals", gen: func(r *Run) uint64 { return r.localsGen }, build: func(r *Run, env *expr.Environment) expr.Value {
		return localsValue(r.Locals)
	}},
	{name: "run", gen: func(r *Run) uint64 { return r.stateGen + r.session.contactGen }, build: func(r *Run, env *expr.Environment) expr.Value { return r.runValue(env) }},
	{name: "parent", absent: func(r *Run) bool { return r.parent == nil && r.session.parent == nil }, gen: func(r *Run) uint64 {
		if r.parent != nil {
			return r.parent.stateGen + r.session.contactGen
		}
		return r.session.contactGen
	}, build: func(r *Run, env *expr.Environment) expr.Value {
		s := r.session
		if r.parent != nil {
			return r.parent.relatedValue(env, "parent")
		}
		if s.parent != nil && r == s.Runs[0] {
			return s.parent.value(s, env)
		}
		return nil
	}},
	{name: "child", absent: func(r *Run) bool { return r.Child() == nil }, gen: func(r *Run) uint64 {
		n := uint64(len(r.session.Runs)) << 40
		if c := r.Child(); c != nil {
			return n + c.stateGen + r.session.contactGen
		}
		return n
	}, build: func(r *Run, env *expr.Environment) expr.Value {
		if c := r.Child(); c != nil {
			return c.relatedValue(env, "child")
		}
		return nil
	}},
	{name: "input", absent: func(r *Run) bool { return r.session.Input == nil }, gen: func(r *Run) uint64 { return r.session.inputGen }, build: func(r *Run, env *expr.Environment) expr.Value {
		return r.session.inputValue(env)
	}},
	{name: "webhook", absent: func(r *Run) bool { return r.liveWebhook == nil }, gen: func(r *Run) uint64 { return r.webhookGen }, build: func(r *Run, env *expr.Environment) expr.Value {
		return webhookValue(r.liveWebhook)
	}},
	{name: "trigger", gen: constantGen, build: func(r *Run, env *expr.Environment) expr.Value { return r.session.triggerValue(env) }},
	{name: "resume", absent: func(r *Run) bool { return r.session.resume == nil }, gen: func(r *Run) uint64 { return r.session.inputGen }, build: func(r *Run, env *expr.Environment) expr.Value {
		return r.session.resumeValue()
	}},
	{name: "globals", gen: constantGen, build: func(r *Run, env *expr.Environment) expr.Value { return r.session.globalsValue() }},
	{name: "ticket", absent: func(r *Run) bool { return len(r.session.contact.Tickets) == 0 }, gen: contactGen, build: func(r *Run, env *expr.Environment) expr.Value {
		if t := r.session.contact.OpenTicket(); t != nil {
			return r.session.ticketValue(t)
		}
		return nil
	}},
	{name: "node", gen: func(r *Run) uint64 { return r.stateGen }, build: func(r *Run, env *expr.Environment) expr.Value { return r.nodeValue() }},
	{name: "legacy_extra", deprecated: "@legacy_extra is deprecated", gen: func(r *Run) uint64 { return r.resultsGen }, build: func(r *Run, env *expr.Environment) expr.Value {
		return r.legacyExtra()
	}},
}

// Context returns the root expression context for the run (expressions.md §7). Every item is
// lazy so templates only pay for what they touch, and the root is kept between evaluations:
// only the items whose inputs changed since (per their generation counters) are replaced.
func (r *Run) Context() *expr.Object {
	s := r.session
	if r.ctx != nil && r.ctxGen == s.gen {
		return r.ctx
	}
	env := s.Env()
	fresh := r.ctx == nil || r.ctxEnv != env
	if r.ctx == nil {
		r.ctx = expr.NewObjectSize(len(rootItems))
		r.itemGens = make([]uint64, len(rootItems))
		r.itemValues = make([]*expr.Lazy, len(rootItems))
	}
	r.ctxEnv = env
	for i := range rootItems {
		item := &rootItems[i]
		g := item.gen(r)
		if !fresh && r.itemGens[i] == g {
			continue
		}
		r.itemGens[i] = g
		var v expr.Value // nil: the item is null right now
		if item.absent == nil || !item.absent(r) {
			if l := r.itemValues[i]; !fresh && l != nil {
				l.Reset() // built again on next use, from the run as it is then
				continue
			}
			l := expr.NewReusableLazy(func() expr.Value { return item.build(r, env) })
			r.itemValues[i], v = l, l
		} else {
			if !fresh && r.itemValues[i] == nil {
				continue // still null
			}
			r.itemValues[i] = nil
		}
		if item.deprecated != "" {
			r.ctx.SetDeprecated(item.name, v, item.deprecated)
		} else {
			r.ctx.Set(item.name, v)
		}
	}
	r.ctxGen = s.gen
	return r.ctx
}
