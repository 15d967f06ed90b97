package engine

import (
	"encoding/json"
	"sort"
	"strings"

	"careflow/expr"

	"github.com/shopspring/decimal"
)

// The expression values of contacts, results, runs, inputs and the other root items.

func text(s string) expr.Value { return expr.Text(s) }

func textOrNull(s string) expr.Value {
	if s == "" {
		return nil
	}
	return expr.Text(s)
}

// contactDisplay is what @contact renders as.
func (s *Session) contactDisplay(env *expr.Environment, c *Contact) string {
	if c.Name != "" {
		return c.Name
	}
	if env.RedactionPolicy == expr.RedactionURNs {
		if c.ID != 0 {
			return decimal.NewFromInt(c.ID).String()
		}
		return ""
	}
	if len(c.URNs) > 0 {
		if f, ok := expr.LookupFunction("format_urn"); ok {
			if v, err := expr.ToText(env, f.Call(env, []expr.Value{expr.Text(c.URNs[0].Rendered(false))})); err == nil {
				return v
			}
		}
		return c.URNs[0].Path
	}
	return ""
}

func (s *Session) contactValue(env *expr.Environment, c *Contact) expr.Value {
	if c != s.contact {
		return s.fillContact(expr.NewObjectSize(contactKeys), env, c, false)
	}
	// the session's contact keeps one object, refreshed in place when the contact changes
	if s.contactObj == nil {
		s.contactObj = expr.NewObjectSize(contactKeys)
	} else if s.contactObjGen == s.contactGen && s.contactObjEnv == env {
		return s.contactObj
	}
	reuse := s.contactObjEnv == env
	s.contactObjGen, s.contactObjEnv = s.contactGen, env
	return s.fillContact(s.contactObj, env, c, reuse)
}

// contactKeys is how many properties fillContact sets.
const contactKeys = 16

// fillContact sets every property of a contact object. With reuse, the lazy properties an
// earlier fill of o set (with the same env and contact) are reset instead of made again.
func (s *Session) fillContact(o *expr.Object, env *expr.Environment, c *Contact, reuse bool) *expr.Object {
	redact := env.RedactionPolicy == expr.RedactionURNs
	o.SetDefault(expr.Text(s.contactDisplay(env, c)))
	o.SetText("uuid", c.UUID)
	// lazy properties read the contact when they are computed: a refresh only resets them
	if !reuse || !o.Reset("ref") {
		o.Set("ref", expr.NewReusableLazy(func() expr.Value { return text(contactRef(c.ID, s.baseEnv)) }))
	}
	o.SetText("name", c.Name)
	if first := c.FirstName(); first != "" {
		o.SetText("first_name", first)
	} else {
		o.Set("first_name", nil)
	}
	o.SetText("language", c.Language)
	if c.Timezone != "" {
		o.SetText("timezone", c.Timezone)
	} else {
		o.Set("timezone", nil)
	}
	o.SetText("status", c.Status)
	o.Set("created_on", expr.NewDateTime(c.CreatedOn))
	if c.LastSeenOn != nil {
		o.Set("last_seen_on", expr.NewDateTime(*c.LastSeenOn))
	} else {
		o.Set("last_seen_on", nil)
	}
	urns := make([]expr.Value, len(c.URNs))
	for i, u := range c.URNs {
		urns[i] = expr.Text(u.Rendered(redact))
	}
	o.Set("urns", expr.NewArray(urns...))
	if u := s.PreferredURN(c); u != nil {
		o.SetText("urn", u.Rendered(redact))
	} else {
		o.Set("urn", nil)
	}
	if !reuse || !o.Reset("groups") {
		o.Set("groups", expr.NewReusableLazy(func() expr.Value {
			groups := make([]expr.Value, len(c.Groups))
			for i, g := range c.Groups {
				groups[i] = expr.NewObjectSize(2).Set("uuid", text(g.UUID)).Set("name", text(g.Name))
			}
			return expr.NewArray(groups...)
		}))
	}
	if !reuse || !o.Reset("fields") {
		o.Set("fields", expr.NewReusableLazy(func() expr.Value { return s.fieldsValue(env, c) }))
	}
	if !reuse || !o.Reset("channel") {
		o.Set("channel", expr.NewReusableLazy(func() expr.Value {
			if ch := s.preferredChannel(c); ch != nil {
				return channelValue(ch)
			}
			return nil
		}))
	}
	refreshing := o.Has("id") // the deprecation marks are already on the object
	if !reuse || !o.Reset("id") {
		id := expr.NewReusableLazy(func() expr.Value { return text(decimal.NewFromInt(c.ID).String()) })
		if refreshing {
			o.Set("id", id)
		} else {
			o.SetDeprecated("id", id, "@contact.id is deprecated, use @contact.ref instead")
		}
	}
	if !reuse || !o.Reset("tickets") {
		tickets := expr.NewReusableLazy(func() expr.Value {
			list := make([]expr.Value, len(c.Tickets))
			for i, t := range c.Tickets {
				list[i] = s.ticketValue(t)
			}
			return expr.NewArray(list...)
		})
		if refreshing {
			o.Set("tickets", tickets)
		} else {
			o.SetDeprecated("tickets", tickets, "@contact.tickets is deprecated, use @ticket instead")
		}
	}
	return o
}

func channelValue(ch *Channel) expr.Value {
	return expr.NewObjectSize(3).SetDefault(text(ch.Name)).Set("uuid", text(ch.UUID)).Set("name", text(ch.Name)).Set("address", text(ch.Address))
}

// fieldValue is a contact field value typed by the field's type.
func (s *Session) fieldValue(f *Field, v *FieldValue) expr.Value {
	if v == nil {
		return nil
	}
	switch f.Type {
	case "number":
		if v.Number == nil {
			return nil
		}
		return expr.NewNumber(*v.Number)
	case "datetime":
		if v.Datetime == nil {
			return nil
		}
		return expr.NewDateTime(*v.Datetime)
	case "state":
		return textOrNull(v.State)
	case "district":
		return textOrNull(v.District)
	case "ward":
		return textOrNull(v.Ward)
	}
	return text(v.Text)
}

func (s *Session) fieldsValue(env *expr.Environment, c *Contact) expr.Value {
	o := expr.NewObjectSize(len(s.assets.Fields))
	var lines []string
	for _, f := range s.assets.Fields {
		v := s.fieldValue(f, c.Fields[f.Key])
		o.Set(f.Key, v)
		if v != nil {
			lines = append(lines, f.Name+": "+expr.Render(env, v))
		}
	}
	sort.Strings(lines)
	o.SetDefault(text(strings.Join(lines, "\n")))
	return o
}

func (s *Session) urnsValue(c *Contact) expr.Value {
	redact := s.baseEnv.RedactionPolicy == expr.RedactionURNs
	schemes := Schemes()
	o := expr.NewObjectSize(len(schemes))
	for _, scheme := range schemes {
		var v expr.Value
		for _, u := range c.URNs {
			if u.Scheme == scheme {
				v = text(u.Rendered(redact))
				break
			}
		}
		o.Set(scheme, v)
	}
	return o
}

func resultsObject(env *expr.Environment, results map[string]*Result) *expr.Object {
	return fillResults(expr.NewObjectSize(len(results)), results)
}

// resultsValue is @results of the run: one object per run, refreshed in place (results are
// only ever added or replaced, never removed).
func (r *Run) resultsValue(env *expr.Environment) expr.Value {
	if r.resultsObj != nil && r.resultsObjGen == r.resultsGen {
		return r.resultsObj
	}
	if r.resultsObj == nil {
		r.resultsObj = expr.NewObjectSize(len(r.Results))
	}
	r.resultsObjGen = r.resultsGen
	return fillResults(r.resultsObj, r.Results)
}

func fillResults(o *expr.Object, results map[string]*Result) *expr.Object {
	keys := make([]string, 0, len(results))
	for k := range results {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := make([]string, 0, len(keys))
	for _, k := range keys {
		res := results[k]
		// a result's value reads the result under its key when computed: a refresh of the
		// same results only resets it
		if !o.Reset(k) {
			o.Set(k, expr.NewReusableLazy(func() expr.Value { return resultValue(results[k]) }))
		}
		lines = append(lines, res.Name+": "+res.Value)
	}
	o.SetDefault(text(strings.Join(lines, "\n")))
	return o
}

func resultValue(res *Result) expr.Value {
	o := expr.NewObjectSize(9).SetDefault(text(res.Value))
	o.Set("name", text(res.Name))
	o.Set("value", text(res.Value))
	o.Set("category", text(res.Category))
	loc := res.CategoryLocalized
	if loc == "" {
		loc = res.Category
	}
	o.Set("category_localized", text(loc))
	o.Set("input", text(res.Input))
	if len(res.Extra) > 0 {
		if v, err := expr.FromJSON(res.Extra); err == nil {
			o.Set("extra", v)
		} else {
			o.Set("extra", nil)
		}
	} else {
		o.Set("extra", nil)
	}
	o.Set("node_uuid", text(string(res.NodeUUID)))
	o.Set("created_on", expr.NewDateTime(res.CreatedOn))
	return o
}

func localsValue(locals map[string]string) expr.Value {
	o := expr.NewObjectSize(len(locals))
	for k, v := range locals {
		o.Set(k, text(v))
	}
	return o
}

func (r *Run) flowValue() expr.Value {
	o := expr.NewObjectSize(3).SetDefault(text(r.FlowRef.Name))
	o.Set("uuid", text(string(r.FlowRef.UUID)))
	o.Set("name", text(r.FlowRef.Name))
	o.Set("revision", expr.NumberFromInt(int64(r.FlowRef.Revision)))
	return o
}

func (r *Run) runValue(env *expr.Environment) expr.Value {
	s := r.session
	o := expr.NewObjectSize(9).SetDefault(text(s.contactDisplay(env, s.contact) + "@" + r.FlowRef.Name))
	o.Set("uuid", text(r.UUID))
	o.Set("contact", expr.NewLazy(func() expr.Value { return s.contactValue(env, s.contact) }))
	o.Set("flow", r.flowValue())
	o.Set("status", text(r.Status))
	o.Set("locals", localsValue(r.Locals))
	o.Set("results", expr.NewLazy(func() expr.Value { return r.resultsValue(env) }))
	path := make([]expr.Value, len(r.Path))
	for i, st := range r.Path {
		path[i] = expr.NewObjectSize(2).Set("node_uuid", text(string(st.NodeUUID))).Set("arrived_on", expr.NewDateTime(st.ArrivedOn))
	}
	o.Set("path", expr.NewArray(path...))
	o.Set("created_on", expr.NewDateTime(r.CreatedOn))
	if r.ExitedOn != nil {
		o.Set("exited_on", expr.NewDateTime(*r.ExitedOn))
	} else {
		o.Set("exited_on", nil)
	}
	return o
}

// relatedValue is the @parent / @child view of a run.
func (r *Run) relatedValue(env *expr.Environment, relation string) expr.Value {
	s := r.session
	c := s.contact
	o := expr.NewObject().SetDefault(text(s.contactDisplay(env, c) + "@" + r.FlowRef.Name))
	o.Set("uuid", text(r.UUID))
	o.Set("contact", expr.NewLazy(func() expr.Value { return s.contactValue(env, c) }))
	o.Set("flow", r.flowValue())
	o.Set("fields", expr.NewLazy(func() expr.Value { return s.fieldsValue(env, c) }))
	o.Set("urns", expr.NewLazy(func() expr.Value { return s.urnsValue(c) }))
	o.Set("results", expr.NewLazy(func() expr.Value { return r.resultsValue(env) }))
	o.Set("status", text(r.Status))
	o.SetDeprecated("run", expr.NewObject().Set("status", text(r.Status)), "@"+relation+".run.status is deprecated, use @"+relation+".status instead")
	return o
}

func (s *Session) inputValue(env *expr.Environment) expr.Value {
	in := s.Input
	if in == nil {
		return nil
	}
	lines := []string{in.Text}
	atts := make([]expr.Value, len(in.Attachments))
	for i, a := range in.Attachments {
		atts[i] = text(a)
		if j := strings.IndexByte(a, ':'); j >= 0 {
			lines = append(lines, a[j+1:])
		} else {
			lines = append(lines, a)
		}
	}
	// one input object per session, refreshed in place (it always has the same keys)
	if s.inputObj == nil {
		s.inputObj = expr.NewObjectSize(9)
	}
	o := s.inputObj.SetDefault(text(strings.Join(lines, "\n")))
	o.Set("type", text(in.Type))
	o.Set("uuid", text(in.UUID))
	o.Set("created_on", expr.NewDateTime(in.CreatedOn))
	if in.Channel != nil {
		if ch := s.assets.Channel(in.Channel.UUID); ch != nil {
			o.Set("channel", channelValue(ch))
		} else {
			o.Set("channel", nil)
		}
	} else {
		o.Set("channel", nil)
	}
	if in.URN != "" {
		redact := env.RedactionPolicy == expr.RedactionURNs
		if u, err := ParseURN(in.URN); err == nil {
			o.Set("urn", text(u.Rendered(redact)))
		} else {
			o.Set("urn", text(in.URN))
		}
	} else {
		o.Set("urn", nil)
	}
	o.Set("text", text(in.Text))
	o.Set("attachments", expr.NewArray(atts...))
	o.Set("external_id", text(in.ExternalID))
	payload := expr.Value(expr.NewObject())
	if len(in.Payload) > 0 {
		if v, err := expr.FromJSON(in.Payload); err == nil && v != nil {
			payload = v
		}
	}
	o.Set("payload", payload)
	return o
}

func webhookValue(w *WebhookValue) expr.Value {
	if w == nil {
		return nil
	}
	o := expr.NewObject().SetDefault(text(w.Method + " " + w.URL))
	o.Set("status", expr.NumberFromInt(int64(w.Status)))
	h := expr.NewObject()
	for k, v := range w.Headers {
		h.Set(k, text(v))
	}
	o.Set("headers", h)
	var j expr.Value
	if len(w.JSON) > 0 {
		j, _ = expr.FromJSON(w.JSON)
	}
	o.Set("json", j)
	return o
}

func userValue(name, email string) expr.Value {
	def := name
	if def == "" {
		def = email
	}
	first := ""
	if f := strings.Fields(name); len(f) > 0 {
		first = f[0]
	}
	return expr.NewObject().SetDefault(text(def)).Set("email", text(email)).Set("name", text(name)).Set("first_name", text(first))
}

func (s *Session) triggerValue(env *expr.Environment) expr.Value {
	t := s.Trigger
	o := expr.NewObjectSize(7)
	o.Set("type", text(t.Type))
	params := expr.Value(expr.NewObject())
	if len(t.Params) > 0 {
		if v, err := expr.FromJSON(t.Params); err == nil && v != nil {
			params = v
		}
	}
	o.Set("params", params)
	keyword := ""
	if t.KeywordMatch != nil {
		keyword = t.KeywordMatch.Keyword
	}
	o.Set("keyword", text(keyword))
	o.Set("user", nil)
	if t.User != nil {
		if u := s.userFor(t.User.UUID, t.User.Email); u != nil {
			o.Set("user", userValue(u.Name, u.Email))
		} else {
			o.Set("user", userValue(t.User.Name, t.User.Email))
		}
	}
	o.Set("origin", text(t.Origin))
	o.Set("campaign", nil)
	o.Set("ticket", nil)
	if tt := t.typeInfo(); tt != nil && tt.Context != nil {
		tt.Context(t, o, s.assets)
	}
	return o
}

func (s *Session) userFor(uuid, email string) *User {
	if uuid != "" {
		return s.assets.User(uuid)
	}
	if email != "" {
		return s.assets.UserByEmail(email)
	}
	return nil
}

func (s *Session) resumeValue() expr.Value {
	if s.resume == nil {
		return nil
	}
	o := expr.NewObject().Set("type", text(s.resume.Type))
	var dial expr.Value
	if s.resume.Parsed != nil {
		if d, ok := s.resume.Parsed.(interface{ DialValue() (string, int) }); ok {
			st, dur := d.DialValue()
			dial = expr.NewObject().Set("status", text(st)).Set("duration", expr.NumberFromInt(int64(dur)))
		}
	}
	o.Set("dial", dial)
	return o
}

func (s *Session) globalsValue() expr.Value {
	o := expr.NewObjectSize(len(s.assets.Globals))
	lines := make([]string, 0, len(s.assets.Globals))
	for _, g := range s.assets.Globals {
		o.Set(g.Key, text(g.Value))
		lines = append(lines, g.Name+": "+g.Value)
	}
	sort.Strings(lines)
	o.SetDefault(text(strings.Join(lines, "\n")))
	return o
}

// TicketValue is the expression view of a ticket.
func (s *Session) ticketValue(t interface{}) expr.Value {
	b, _ := json.Marshal(t)
	var tk struct {
		UUID  string `json:"uuid"`
		Topic *struct {
			UUID string `json:"uuid"`
			Name string `json:"name"`
		} `json:"topic"`
		Assignee *struct {
			UUID  string `json:"uuid"`
			Name  string `json:"name"`
			Email string `json:"email"`
		} `json:"assignee"`
	}
	_ = json.Unmarshal(b, &tk)
	o := expr.NewObject().Set("uuid", text(tk.UUID))
	if tk.Topic != nil {
		name := tk.Topic.Name
		if tp := s.assets.Topic(tk.Topic.UUID); tp != nil {
			name = tp.Name
		}
		o.Set("topic", expr.NewObject().SetDefault(text(name)).Set("uuid", text(tk.Topic.UUID)).Set("name", text(name)))
	} else {
		o.Set("topic", nil)
	}
	if tk.Assignee != nil {
		name, email := tk.Assignee.Name, tk.Assignee.Email
		if u := s.userFor(tk.Assignee.UUID, tk.Assignee.Email); u != nil {
			name, email = u.Name, u.Email
		}
		o.Set("assignee", userValue(name, email))
	} else {
		o.Set("assignee", nil)
	}
	return o
}

func (r *Run) nodeValue() expr.Value {
	step := r.LastStep()
	if step == nil || r.flow == nil {
		return nil
	}
	node := r.flow.Node(step.NodeUUID)
	if node == nil {
		return nil
	}
	var cats []expr.Value
	if node.Router != nil {
		for _, c := range node.Router.Categories {
			cats = append(cats, text(c.Name))
		}
	}
	o := expr.NewObjectSize(3).Set("uuid", text(string(node.UUID)))
	o.Set("categories", expr.NewArray(cats...))
	o.Set("visit_count", expr.NumberFromInt(int64(r.visitCount(node.UUID))))
	return o
}

// legacyExtra merges trigger params, parent result extras and the webhook JSON (deprecated).
func (r *Run) legacyExtra() expr.Value {
	o := expr.NewObject()
	merge := func(raw json.RawMessage) {
		if len(raw) == 0 {
			return
		}
		v, err := expr.FromJSON(raw)
		if err != nil {
			return
		}
		if obj, ok := v.(*expr.Object); ok {
			for _, k := range obj.Keys() {
				val, _ := obj.Get(k)
				o.Set(legacyKey(k), val)
			}
		}
	}
	s := r.session
	merge(s.Trigger.Params)
	results := make([]*Result, 0, len(r.Results))
	for _, res := range r.Results {
		if len(res.Extra) > 0 {
			results = append(results, res)
		}
	}
	sort.Slice(results, func(i, j int) bool { return results[i].CreatedOn.Before(results[j].CreatedOn) })
	for _, res := range results {
		merge(res.Extra)
		o.Set(legacyKey(Snakify(res.Name)), text(string(res.Extra)))
	}
	return o
}

func legacyKey(k string) string {
	var b strings.Builder
	for _, ch := range strings.ToLower(k) {
		if ch == '_' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch > 127 {
			b.WriteRune(ch)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
