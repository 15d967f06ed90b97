package flow

// TypeSetContactChannel is the wire name of SetContactChannel.
const TypeSetContactChannel = "set_contact_channel"

// SetContactChannel makes Channel the contact's preferred channel (nil clears affinity).
//
//	{"type": "set_contact_channel", "uuid": "…", "channel": {"uuid": "…", "name": "Twilio"}}
type SetContactChannel struct {
	BaseAction
	onlineAction
	Channel *ChannelRef `json:"channel"`
}

func init() { registerAction(TypeSetContactChannel, func() Action { return &SetContactChannel{} }) }

func (a *SetContactChannel) check(c *checker) {
	a.checkBase(c)
	if a.Channel != nil {
		checkRef(c, "channel", true, a.Channel.UUID, a.Channel.Name, 64)
	}
}

func (a *SetContactChannel) inspect(v *visitor) {
	if a.Channel != nil {
		v.ref(&Dependency{Type: "channel", UUID: a.Channel.UUID, Name: a.Channel.Name})
	}
}
