package action

import (
	"fmt"
	"regexp"
	"strings"

	"careflow/engine"
	"careflow/flow"

	"github.com/nyaruka/phonenumbers"
)

var uuidLike = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// recipients resolves the groups, contacts, query, URNs and legacy vars of a broadcast or start.
type recipients struct {
	groups   []*flow.GroupRef
	contacts []*flow.ContactRef
	query    string
	urns     []string
}

func (rc *recipients) empty() bool {
	return len(rc.groups) == 0 && len(rc.contacts) == 0 && rc.query == "" && len(rc.urns) == 0
}

func resolveRecipients(r *engine.Run, rec *flow.Recipients) *recipients {
	out := &recipients{}
	for _, g := range resolveGroups(r, rec.Groups) {
		out.groups = append(out.groups, g.Ref())
	}
	out.contacts = append(out.contacts, rec.Contacts...)
	if rec.ContactQuery != "" {
		q, _ := r.EvaluateTextEscaped(rec.ContactQuery, queryEscape)
		out.query = strings.TrimSpace(q)
	}
	for _, u := range rec.URNs {
		if p, err := engine.ParseURN(u); err == nil {
			p.Normalize()
			out.urns = append(out.urns, p.Identity())
		}
	}
	a := r.Session().Assets()
	country := r.Session().Env().DefaultCountry
	for _, tpl := range rec.LegacyVars {
		v, _ := r.EvaluateText(tpl)
		v = strings.TrimSpace(v)
		switch {
		case uuidLike.MatchString(v):
			out.contacts = append(out.contacts, &flow.ContactRef{UUID: strings.ToLower(v)})
			continue
		case v != "" && a.GroupByName(v) != nil:
			out.groups = append(out.groups, a.GroupByName(v).Ref())
			continue
		}
		if u, err := engine.ParseURN(v); err == nil && strings.Contains(v, ":") {
			u.Normalize()
			if u.Validate() == nil {
				out.urns = append(out.urns, u.Identity())
				continue
			}
		}
		if num, err := phonenumbers.Parse(v, country); err == nil && phonenumbers.IsPossibleNumber(num) && strings.ContainsAny(v, "0123456789") && !strings.ContainsAny(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			out.urns = append(out.urns, "tel:"+phonenumbers.Format(num, phonenumbers.E164))
			continue
		}
		r.LogError(fmt.Sprintf("'%s' couldn't be resolved to a contact, group or URN", v), "", nil)
	}
	return out
}

// queryEscape quotes an expression result for use inside a contact query.
func queryEscape(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}
