package flow

// TypeSayMsg is the wire name of SayMsg.
const TypeSayMsg = "say_msg"

// SayMsg speaks Text (a localizable template) on a voice call, or plays AudioURL (localizable,
// not evaluated) when set.
//
//	{"type": "say_msg", "uuid": "…", "text": "Hello", "audio_url": "http://example.com/hello.mp3"}
type SayMsg struct {
	BaseAction
	voiceAction
	Text     string `json:"text"`
	AudioURL string `json:"audio_url,omitempty"`
}

func init() { registerAction(TypeSayMsg, func() Action { return &SayMsg{} }) }

func (a *SayMsg) check(c *checker) {
	a.checkBase(c)
	c.reqLen("text", a.Text, 10000)
	c.maxLen("audio_url", a.AudioURL, 8192)
}

func (a *SayMsg) inspect(v *visitor) {
	v.localized(string(a.UUID()), "text", a.Text)
}
