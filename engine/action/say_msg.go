package action

import (
	"strings"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

func init() {
	register(flow.TypeSayMsg, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.SayMsg)
		id := string(act.UUID())
		textTpl, lang := r.LocalizeText(id, "text", act.Text)
		audio, _ := r.LocalizeText(id, "audio_url", act.AudioURL)
		text, _ := r.EvaluateText(textTpl)
		text = strings.TrimSpace(text)
		if text == "" && audio == "" {
			r.LogError("Can't say message without audio URL or backdown text", "", nil)
			return nil
		}
		msg := ivrMsg(r, text, lang)
		if audio != "" {
			msg.Attachments = []string{"audio:" + audio}
		}
		r.Log(event.NewIVRCreated(msg))
		return nil
	})
}

// ivrMsg starts a voice message addressed through the session's call.
func ivrMsg(r *engine.Run, text, lang string) *event.MsgOut {
	s := r.Session()
	msg := &event.MsgOut{Text: text, Locale: locale(lang, s.Env().DefaultCountry)}
	if c := s.CallInfo(); c != nil {
		msg.URN = c.URN
		if c.Channel != nil {
			if ch := s.Assets().Channel(c.Channel.UUID); ch != nil {
				msg.Channel = ch.Ref()
			} else {
				msg.Channel = c.Channel
			}
		}
	}
	return msg
}
