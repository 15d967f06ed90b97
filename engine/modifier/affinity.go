package modifier

import (
	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

// TypeAffinity gives one URN affinity to a channel and makes it the preferred URN.
const TypeAffinity = "affinity"

// Affinity gives a URN (adding it if needed) affinity to a channel and moves it to the front.
type Affinity struct {
	URN     string           `json:"urn"`
	Channel *flow.ChannelRef `json:"channel"`
}

// Type is the wire name.
func (m *Affinity) Type() string { return TypeAffinity }

// Apply changes the URN list.
func (m *Affinity) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	before := urnsKey(c)
	u, err := engine.ParseURN(m.URN)
	if err != nil {
		return false
	}
	u.Normalize()
	var ch *engine.Channel
	if m.Channel != nil {
		ch = e.Assets.Channel(m.Channel.UUID)
	}
	var target *engine.URN
	var rest []*engine.URN
	for _, cu := range c.URNs {
		if cu.Identity() == u.Identity() && target == nil {
			target = cu
		} else {
			rest = append(rest, cu)
		}
	}
	if target == nil {
		return false
	}
	target.Channel = ""
	if ch != nil {
		target.Channel = ch.UUID
	}
	c.URNs = append([]*engine.URN{target}, rest...)
	if urnsKey(c) == before {
		return false
	}
	log(event.NewContactURNsChanged(c.URNStrings()))
	return true
}

func init() { register(TypeAffinity, func() engine.Modifier { return &Affinity{} }) }
