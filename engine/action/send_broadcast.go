package action

import (
	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

func init() {
	register(flow.TypeSendBroadcast, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.SendBroadcast)
		rc := resolveRecipients(r, &act.Recipients)
		if r.Session().Batch() && (len(rc.groups) > 0 || rc.query != "") {
			r.LogError("Can't send broadcasts to groups during batch starts", "", nil)
			return nil
		}
		if rc.empty() {
			return nil
		}
		f := r.Flow()
		id := string(act.UUID())
		langs := []string{f.Language}
		for _, l := range f.Localization.Languages() {
			if l != f.Language {
				langs = append(langs, l)
			}
		}
		e := event.NewBroadcastCreated()
		e.Translations = map[string]*event.BroadcastTranslation{}
		for _, lang := range langs {
			text := r.LocalizeIn(lang, id, "text", []string{act.Text})
			t := &event.BroadcastTranslation{}
			if len(text) > 0 {
				t.Text, _ = r.EvaluateText(text[0])
			}
			t.Attachments = evalAttachments(r, r.LocalizeIn(lang, id, "attachments", act.Attachments))
			t.QuickReplies = evalQuickReplies(r, r.LocalizeIn(lang, id, "quick_replies", act.QuickReplies))
			e.Translations[lang] = t
		}
		e.BaseLanguage = f.Language
		e.Groups, e.Contacts, e.ContactQuery, e.URNs = rc.groups, rc.contacts, rc.query, rc.urns
		if act.Template != nil {
			if tpl := r.Session().Assets().Template(act.Template.UUID); tpl != nil {
				e.Template = &flow.TemplateRef{UUID: tpl.UUID, Name: tpl.Name}
				for _, v := range act.TemplateVariables {
					val, _ := r.EvaluateText(v)
					e.TemplateVariables = append(e.TemplateVariables, val)
				}
			}
		}
		r.Log(e)
		return nil
	})
}
