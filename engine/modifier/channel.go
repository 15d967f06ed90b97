package modifier

import (
	"regexp"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

// TypeChannel sets (or clears) the contact's preferred channel.
const TypeChannel = "channel"

// Channel makes a channel the contact's preferred one: phone URNs it takes and URNs without
// affinity of a scheme it takes get affinity to it, and every URN with affinity to it moves to
// the front; null clears all affinity.
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
			// phone numbers (tel, whatsapp) can move to any channel that takes their scheme; a
			// URN of another scheme keeps the affinity it has, as the reference's
			// UpdatePreferredChannel does, since such an address exists only on its channel
			if ch.SupportsScheme(u.Scheme) && (portableScheme(u) || u.Channel == "") {
				u.Channel = ch.UUID
			}
			// everything now bound to the channel goes first, whether or not the channel
			// takes its scheme
			if u.Channel == ch.UUID {
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

// whatsAppBSUID is a business-scoped WhatsApp user id (two upper-case letters, a dot, an
// opaque id): it exists only for one business, so it is not portable between channels.
var whatsAppBSUID = regexp.MustCompile(`^[A-Z]{2}\.[a-zA-Z0-9]{1,128}$`)

// portableScheme reports whether a URN is a phone number that any channel of its scheme can
// reach: tel, and whatsapp other than business-scoped ids.
func portableScheme(u *engine.URN) bool {
	return u.Scheme == "tel" || (u.Scheme == "whatsapp" && !whatsAppBSUID.MatchString(u.Path))
}

func init() { register(TypeChannel, func() engine.Modifier { return &Channel{} }) }
