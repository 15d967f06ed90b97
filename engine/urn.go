package engine

import (
	"careflow/internal/memo"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// URN is a contact address: scheme:path[?channel=uuid][#display].
type URN struct {
	Scheme  string
	Path    string
	Display string
	Channel string // UUID of the channel this URN has affinity to

	country     string // cached Country() of a tel URN
	countryPath string // the path country was computed for
}

// ParseURN splits a URN string into its parts without validating it.
func ParseURN(s string) (*URN, error) {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return nil, fmt.Errorf("'%s' is not valid URN", s)
	}
	u := &URN{Scheme: strings.ToLower(s[:i])}
	rest := s[i+1:]
	if j := strings.IndexByte(rest, '#'); j >= 0 {
		u.Display, rest = rest[j+1:], rest[:j]
	}
	if j := strings.IndexByte(rest, '?'); j >= 0 {
		if q, err := url.ParseQuery(rest[j+1:]); err == nil {
			u.Channel = q.Get("channel")
		}
		rest = rest[:j]
	}
	u.Path = rest
	if u.Path == "" {
		return nil, fmt.Errorf("'%s' is not valid URN", s)
	}
	return u, nil
}

// Identity is scheme:path, what makes two URNs the same.
func (u *URN) Identity() string { return u.Scheme + ":" + u.Path }

// String is the full form with channel affinity and display, as stored on contacts.
func (u *URN) String() string {
	s := u.Scheme + ":" + u.Path
	if u.Channel != "" {
		s += "?channel=" + u.Channel
	}
	if u.Display != "" {
		s += "#" + u.Display
	}
	return s
}

// Rendered is the form expressions see: scheme:path#display (redacted when asked).
func (u *URN) Rendered(redact bool) string {
	if redact {
		return u.Scheme + ":********"
	}
	s := u.Scheme + ":" + u.Path
	if u.Display != "" {
		s += "#" + u.Display
	}
	return s
}

// Normalize applies the per-scheme normalisation of flows.md §9.1.1.
func (u *URN) Normalize() { u.NormalizeIn("") }

// NormalizeIn normalises, reading national tel numbers as numbers of country.
func (u *URN) NormalizeIn(country string) {
	u.Path = strings.TrimSpace(u.Path)
	u.Display = strings.TrimSpace(u.Display)
	switch u.Scheme {
	case "tel":
		u.Path = normalizeTel(u.Path, country)
	case "mailto":
		u.Path = strings.ToLower(u.Path)
	case "twitter":
		u.Path = strings.TrimPrefix(strings.ToLower(u.Path), "@")
	}
}

var (
	telE164RE    = regexp.MustCompile(`^\+\d{7,15}$`)
	telShortRE   = regexp.MustCompile(`^[a-z0-9]{1,64}$`)
	emailRE      = regexp.MustCompile(`^[^\s@]+@[^\s@]+$`)
	digitsRE     = regexp.MustCompile(`^\d+$`)
	twitterRE    = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)
	schemesKnown = map[string]bool{"tel": true, "whatsapp": true, "facebook": true, "twitter": true, "twitterid": true,
		"telegram": true, "viber": true, "line": true, "mailto": true, "ext": true, "fcm": true, "freshchat": true,
		"instagram": true, "jiochat": true, "rocketchat": true, "slack": true, "vk": true, "webchat": true,
		"wechat": true, "bsuid": true, "discord": true, "external": true, "kakao": true}
)

// Schemes lists the known URN schemes.
func Schemes() []string {
	return []string{"bsuid", "discord", "ext", "facebook", "fcm", "freshchat", "instagram", "jiochat", "line", "mailto",
		"rocketchat", "slack", "tel", "telegram", "twitter", "twitterid", "viber", "vk", "webchat", "wechat", "whatsapp"}
}

// Validate checks the URN against its scheme's rules.
func (u *URN) Validate() error {
	if !schemesKnown[u.Scheme] {
		return fmt.Errorf("unknown scheme")
	}
	ok := true
	switch u.Scheme {
	case "tel":
		ok = telE164RE.MatchString(u.Path) || telShortRE.MatchString(u.Path)
	case "mailto":
		ok = emailRE.MatchString(u.Path)
	case "telegram", "whatsapp":
		ok = digitsRE.MatchString(u.Path)
	case "twitter":
		ok = twitterRE.MatchString(u.Path)
	}
	if !ok {
		return fmt.Errorf("invalid path")
	}
	return nil
}

// Country is the country a tel URN's number belongs to, or "".
func (u *URN) Country() string {
	if u.Scheme != "tel" {
		return ""
	}
	if u.countryPath == u.Path && u.Path != "" {
		return u.country
	}
	u.country, u.countryPath = telCountry(u.Path), u.Path
	return u.country
}

// telNormals remembers normalizeTel by number and country: every incoming message's sender
// is normalised, mostly the same numbers again, and parsing was about 3% of the CPU of
// handling a message.
var telNormals = memo.New[[2]string, string](telCacheMax)

func normalizeTel(path, country string) string {
	norm := func(k [2]string) string {
		if num, err := phonenumbers.Parse(k[0], k[1]); err == nil && (k[1] == "" || phonenumbers.IsPossibleNumber(num)) {
			return phonenumbers.Format(num, phonenumbers.E164)
		}
		return strings.ToLower(k[0])
	}
	if len(path) > 64 {
		return norm([2]string{path, country}) // not a number anyone sends twice: keep entries small
	}
	return telNormals.Get([2]string{path, country}, norm)
}

// telCountry finds the country of an international number. A calling code shared by one
// country only (+250 Rwanda) needs no parsing; shared codes (+1) need the full number.
// telCountries remembers it by number: contacts are read from storage for every task, so
// each would parse its number again (phonenumbers' parsing is costly, and numbers of shared
// country codes such as +1 need it).
var telCountries = memo.New[string, string](telCacheMax)

const telCacheMax = 100_000

func telCountry(path string) string { return telCountries.Get(path, telCountryOf) }

func telCountryOf(path string) string {
	if len(path) > 4 && path[0] == '+' {
		for n := 1; n <= 3; n++ {
			cc := 0
			ok := true
			for _, ch := range path[1 : 1+n] {
				if ch < '0' || ch > '9' {
					ok = false
					break
				}
				cc = cc*10 + int(ch-'0')
			}
			if !ok {
				break
			}
			if regions := phonenumbers.GetRegionCodesForCountryCode(cc); len(regions) == 1 && regions[0] != "001" {
				return regions[0]
			} else if len(regions) > 1 {
				break
			}
		}
	}
	num, err := phonenumbers.Parse(path, "")
	if err != nil {
		return ""
	}
	r := phonenumbers.GetRegionCodeForNumber(num)
	if r == "ZZ" {
		return ""
	}
	return r
}
