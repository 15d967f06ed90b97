package flow

// TypeAddContactURN is the wire name of AddContactURN.
const TypeAddContactURN = "add_contact_urn"

// AddContactURN adds the URN Scheme:Path (Path evaluated) to the contact.
//
//	{"type": "add_contact_urn", "uuid": "…", "scheme": "tel", "path": "@results.phone"}
type AddContactURN struct {
	BaseAction
	universalAction
	Scheme string `json:"scheme"`
	Path   string `json:"path"`
}

func init() { registerAction(TypeAddContactURN, func() Action { return &AddContactURN{} }) }

func (a *AddContactURN) check(c *checker) {
	a.checkBase(c)
	if !ValidURNScheme(a.Scheme) {
		c.fail("scheme", "is not a valid URN scheme")
	}
	c.reqLen("path", a.Path, 1000)
}

// urnSchemes are the URN schemes the reference engine knows.
var urnSchemes = map[string]bool{
	"bsuid": true, "ext": true, "facebook": true, "fcm": true, "freshchat": true,
	"instagram": true, "jiochat": true, "line": true, "mailto": true, "rocketchat": true,
	"slack": true, "tel": true, "telegram": true, "twitter": true, "twitterid": true, "viber": true,
	"vk": true, "webchat": true, "wechat": true, "whatsapp": true,
}

// ValidURNScheme reports whether scheme is a known URN scheme.
func ValidURNScheme(scheme string) bool { return urnSchemes[scheme] }

func (a *AddContactURN) inspect(v *visitor) {
	v.local("_has_urn")
	v.tpl(a.Path)
}
