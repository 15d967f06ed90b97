package engine

import (
	"strings"
)

// Destination is a URN with the channel a message to it would go through.
type Destination struct {
	URN     *URN
	Channel *Channel
}

// preferredChannel is the channel the contact's first routable URN would use.
func (s *Session) preferredChannel(c *Contact) *Channel {
	if d := s.Route(c, "send"); d != nil {
		return d.Channel
	}
	return nil
}

// PreferredURN is the URN a message to the contact would go to: the first, in priority order,
// that some channel of the workspace can send to, as the reference's Contact.PreferredURN. It
// is nil when no channel can send to any of them, so @contact.urn is null for a contact the
// workspace cannot reach (not its first URN, as in spec versions before 14).
func (s *Session) PreferredURN(c *Contact) *URN {
	if d := s.Route(c, "send"); d != nil {
		return d.URN
	}
	return nil
}

// Route picks the first contact URN, in priority order, with a usable channel (flows.md §9.6).
func (s *Session) Route(c *Contact, role string) *Destination {
	for _, u := range c.URNs {
		if ch := s.channelFor(u, role); ch != nil {
			return &Destination{URN: u, Channel: ch}
		}
	}
	return nil
}

func (s *Session) channelFor(u *URN, role string) *Channel {
	if u.Channel != "" {
		if ch := s.assets.Channel(u.Channel); ch != nil && ch.HasRole(role) && ch.SupportsScheme(u.Scheme) {
			return ch
		}
	}
	if u.Scheme == "tel" {
		country := u.Country()
		var best *Channel
		bestLen := -1
		for _, ch := range s.assets.Channels {
			if !ch.HasRole(role) || !ch.SupportsScheme("tel") {
				continue
			}
			if ch.Country != "" && country != "" && !strings.EqualFold(ch.Country, country) && !ch.AllowInternational {
				continue
			}
			prefixes := ch.MatchPrefixes
			if len(prefixes) == 0 {
				prefixes = []string{strings.TrimPrefix(ch.Address, "+")}
			}
			number := strings.TrimPrefix(u.Path, "+")
			l := 0
			for _, p := range prefixes {
				if n := commonPrefix(number, strings.TrimPrefix(p, "+")); n > l {
					l = n
				}
			}
			if l >= bestLen {
				best, bestLen = ch, l
			}
		}
		return best
	}
	for _, ch := range s.assets.Channels {
		if ch.HasRole(role) && ch.SupportsScheme(u.Scheme) {
			return ch
		}
	}
	return nil
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
