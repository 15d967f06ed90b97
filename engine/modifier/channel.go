package modifier

import (
	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

// TypeChannel sets (or clears) the contact's preferred channel.
const TypeChannel = "channel"

// Channel moves the URNs the channel supports to the front with affinity to it; null clears
// all affinity.
type Channel struct {
	Channel *flow.ChannelRef `json:"channel"`
}

// Type is the wire name.
func (m *Channel) Type() string { return TypeChannel }

// Apply changes URN order and affinity.
func (m *Channel) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	before := urnsKey(c)
	var ch *engine.Channel
	if m.Channel != nil {
		ch = e.Assets.Channel(m.Channel.UUID)
	}
	if ch != nil && !ch.HasRole("send") {
		log(event.NewError("Can't set channel that can't send as the preferred channel", "", nil))
		return false
	}
	if ch == nil {
		for _, u := range c.URNs {
			u.Channel = ""
		}
	} else {
		var front, back []*engine.URN
		for _, u := range c.URNs {
			if ch.SupportsScheme(u.Scheme) {
				u.Channel = ch.UUID
				front = append(front, u)
			} else {
				back = append(back, u)
			}
		}
		c.URNs = append(front, back...)
	}
	if urnsKey(c) == before {
		return false
	}
	log(event.NewContactURNsChanged(c.URNStrings()))
	return true
}

func init() { register(TypeChannel, func() engine.Modifier { return &Channel{} }) }
