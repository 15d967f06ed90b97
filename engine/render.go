package engine

import (
	"strings"

	"careflow/contactql"
	"careflow/expr"
)

// RenderForContact evaluates a template outside any flow, with the context a broadcast or a
// campaign message sees: @contact, @fields, @urns and @globals, in the contact's environment
// (its language, timezone and country over the workspace's). Expression errors render as
// empty text, as they do in messages.
func (e *Engine) RenderForContact(assets *Assets, env *expr.Environment, c *Contact, tpl string) string {
	if !strings.ContainsRune(tpl, '@') {
		return TruncateEllipsis(tpl, e.MaxTemplateChars)
	}
	s := &Session{eng: e, assets: assets, baseEnv: env, contact: c}
	cenv := s.Env()
	ctx := expr.NewObject()
	ctx.Set("contact", s.contactValue(cenv, c))
	ctx.Set("fields", s.fieldsValue(cenv, c))
	ctx.Set("urns", s.urnsValue(c))
	ctx.Set("globals", s.globalsValue())
	out, _ := expr.EvaluateTemplate(cenv, ctx, tpl, nil)
	return TruncateEllipsis(out, e.MaxTemplateChars)
}

// RouteContact picks the URN and channel a message to the contact goes through, as a flow's
// send_msg would (nil when none can send to it).
func RouteContact(assets *Assets, c *Contact) *Destination {
	s := &Session{assets: assets, contact: c}
	return s.Route(c, "send")
}

// ParseQuery parses a contact query against the assets' fields, groups and flows (for flow
// starts, broadcasts and smart groups run by the host).
func (a *Assets) ParseQuery(env *expr.Environment, text string) (*contactql.Query, error) {
	return contactql.Parse(env, text, a.queryResolver())
}

// QueryMatches reports whether the contact matches a parsed query.
func QueryMatches(env *expr.Environment, c *Contact, q *contactql.Query) bool {
	ok, err := contactql.Evaluate(env, qlContact{c: c}, q)
	return ok && err == nil
}

// QueryMatchesWaiting is QueryMatches for a stored contact whose waiting session is in the
// flow with UUID currentFlow ("" for none), so `flow = "…"` can be answered; it has no flow
// history (history conditions match as for a contact that has been in no flow).
func QueryMatchesWaiting(env *expr.Environment, c *Contact, currentFlow string, q *contactql.Query) bool {
	ok, err := contactql.Evaluate(env, qlFlowContact{qlContact{c: c}, currentFlow}, q)
	return ok && err == nil
}

// qlFlowContact is a contact that knows the flow it is waiting in.
type qlFlowContact struct {
	qlContact
	flow string
}

func (q qlFlowContact) CurrentFlow() string   { return q.flow }
func (q qlFlowContact) FlowHistory() []string { return nil }
