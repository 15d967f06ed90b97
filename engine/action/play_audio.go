package action

import (
	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

func init() {
	register(flow.TypePlayAudio, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.PlayAudio)
		tpl, lang := r.LocalizeText(string(act.UUID()), "audio_url", act.AudioURL)
		u, ok := trimmed(r, tpl)
		if !ok {
			return nil
		}
		if u == "" {
			r.LogError("Audio URL evaluated to empty, skipping", "", nil)
			return nil
		}
		msg := ivrMsg(r, "", lang)
		msg.Attachments = []string{"audio:" + u}
		r.Log(event.NewIVRCreated(msg))
		return nil
	})
}
