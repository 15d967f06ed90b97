package action

import (
	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

func init() {
	register(flow.TypeSendMsg, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.SendMsg)
		id := string(act.UUID())
		textTpl, textLang := r.LocalizeText(id, "text", act.Text)
		attTpls, attLang := r.Localize(id, "attachments", act.Attachments)
		qrTpls, qrLang := r.Localize(id, "quick_replies", act.QuickReplies)

		text, _ := r.EvaluateText(textTpl)
		atts := evalAttachments(r, attTpls)
		qrs := evalQuickReplies(r, qrTpls)

		lang := textLang
		if text == "" {
			if len(atts) > 0 {
				lang = attLang
			} else if len(qrs) > 0 {
				lang = qrLang
			}
		}
		s := r.Session()
		msg := &event.MsgOut{Text: text, Attachments: atts, QuickReplies: qrs,
			Locale: locale(lang, s.Env().DefaultCountry)}
		dest := s.Route(s.Contact(), "send")
		if dest != nil {
			msg.URN = dest.URN.Identity()
			msg.Channel = dest.Channel.Ref()
		}
		if act.Template != nil && dest != nil {
			templating(r, act.Template, act.TemplateVariables, dest.Channel, msg)
		}
		msg.UnsendableReason = unsendableReason(r, msg.Text, dest == nil)
		s.Log(event.NewMsgCreated(msg))
		return nil
	})
}
