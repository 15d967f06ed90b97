package flow

// TypePlayAudio is the wire name of PlayAudio.
const TypePlayAudio = "play_audio"

// PlayAudio plays the audio at AudioURL (a localizable template) on a voice call.
//
//	{"type": "play_audio", "uuid": "…", "audio_url": "http://example.com/hello.mp3"}
type PlayAudio struct {
	BaseAction
	voiceAction
	AudioURL string `json:"audio_url"`
}

func init() { registerAction(TypePlayAudio, func() Action { return &PlayAudio{} }) }

func (a *PlayAudio) check(c *checker) {
	a.checkBase(c)
	c.reqLen("audio_url", a.AudioURL, 8192)
}

func (a *PlayAudio) inspect(v *visitor) {
	v.localized(string(a.UUID()), "audio_url", a.AudioURL)
}
