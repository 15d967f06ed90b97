package engine

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

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

// telNormals caches normalizeTel's work by number and country: every incoming message's
// sender is normalised, mostly the same numbers again, and parsing was about 3% of the CPU
// of handling a message. Dropped whole when it grows past its bound, like telCountries.
var telNormals = struct {
	sync.Mutex
	m map[[2]string]string
}{m: map[[2]string]string{}}

func normalizeTel(path, country string) string {
	key := [2]string{path, country}
	telNormals.Lock()
	n, ok := telNormals.m[key]
	telNormals.Unlock()
	if ok {
		return n
	}
	if num, err := phonenumbers.Parse(path, country); err == nil && (country == "" || phonenumbers.IsPossibleNumber(num)) {
		n = phonenumbers.Format(num, phonenumbers.E164)
	} else {
		n = strings.ToLower(path)
	}
	if len(path) <= 64 {
		telNormals.Lock()
		if len(telNormals.m) >= telCountriesMax {
			telNormals.m = map[[2]string]string{}
		}
		telNormals.m[key] = n
		telNormals.Unlock()
	}
	return n
}

// telCountry finds the country of an international number. A calling code shared by one
// country only (+250 Rwanda) needs no parsing; shared codes (+1) need the full number.
// telCountries caches telCountry by number: contacts are read from storage for every task, so
// each would parse its number again (phonenumbers' parsing is costly, and numbers of shared
// country codes such as +1 need it). The cache is dropped whole when it grows past a bound.
var telCountries = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

const telCountriesMax = 100_000

func telCountry(path string) string {
	telCountries.Lock()
	c, ok := telCountries.m[path]
	telCountries.Unlock()
	if ok {
		return c
	}
	c = telCountryOf(path)
	telCountries.Lock()
	if len(telCountries.m) >= telCountriesMax {
		telCountries.m = map[string]string{}
	}
	telCountries.m[path] = c
	telCountries.Unlock()
	return c
}

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
