package flow

// visitor receives what inspection finds in one node's actions and router: asset references,
// run locals, results and templates (with the language of translated ones).
type visitor struct {
	loc      Localization
	action   ActionUUID
	ref      func(d *Dependency)
	local    func(name string)
	result   func(name string, categories []string)
	template func(lang, t string)
}

// tpl reports base-language templates.
func (v *visitor) tpl(ts ...string) {
	for _, t := range ts {
		v.template("", t)
	}
}

// localized reports base templates and then every translation of the item's property.
func (v *visitor) localized(item, prop string, base ...string) {
	v.tpl(base...)
	for _, lang := range v.loc.Languages() {
		for _, t := range v.loc.Get(lang, item, prop) {
			v.template(lang, t)
		}
	}
}

func (v *visitor) groups(groups []*GroupRef) {
	for _, g := range groups {
		if g != nil && !g.Variable() {
			v.ref(&Dependency{Type: "group", UUID: g.UUID, Name: g.Name})
		}
	}
}

func (v *visitor) groupTemplates(groups []*GroupRef) {
	for _, g := range groups {
		if g != nil && g.NameMatch != "" {
			v.tpl(g.NameMatch)
		}
	}
}

// inspect reports the router's result, has_group dependencies and templates.
func (r *Router) inspect(v *visitor) {
	if r.ResultName != "" {
		names := make([]string, len(r.Categories))
		for i, c := range r.Categories {
			names[i] = c.Name
		}
		v.result(r.ResultName, names)
	}
	if r.Type != RouterSwitch {
		return
	}
	for _, c := range r.Cases {
		if c.Type == "has_group" && len(c.Arguments) > 0 {
			name := ""
			if len(c.Arguments) == 2 {
				name = c.Arguments[1]
			}
			v.ref(&Dependency{Type: "group", UUID: c.Arguments[0], Name: name})
		}
	}
	v.tpl(r.Operand)
	for _, c := range r.Cases {
		v.localized(string(c.UUID), "arguments", c.Arguments...)
	}
	if r.Wait != nil && r.Wait.Type == WaitDial {
		v.tpl(r.Wait.Phone)
	}
}

// webhookCategories are the categories of results saved by webhook and resthook actions.
var webhookCategories = []string{"Success", "Failure"}

func (m *MsgContent) inspectContent(v *visitor) {
	if m.Template != nil {
		v.ref(&Dependency{Type: "template", UUID: m.Template.UUID, Name: m.Template.Name})
	}
}

func (m *MsgContent) contentTemplates(v *visitor, item string) {
	v.localized(item, "text", m.Text)
	v.localized(item, "attachments", m.Attachments...)
	v.localized(item, "quick_replies", m.QuickReplies...)
	v.tpl(m.TemplateVariables...)
}

func (r *Recipients) inspectRecipients(v *visitor) {
	v.groups(r.Groups)
	for _, c := range r.Contacts {
		if c != nil {
			v.ref(&Dependency{Type: "contact", UUID: c.UUID, Name: c.Name})
		}
	}
}

func (r *Recipients) recipientTemplates(v *visitor) {
	v.groupTemplates(r.Groups)
	v.tpl(r.ContactQuery)
	v.tpl(r.LegacyVars...)
}
