package cht

// ContactType is one level of the contact hierarchy (§6): the legacy fixed types
// (district_hospital, health_center, clinic, person) or one of app_settings.contact_types.
type ContactType struct {
	ID      string
	Person  bool
	Parents []string
}

// legacyTypes is the hierarchy CHT uses when app_settings.contact_types is absent.
var legacyTypes = []ContactType{
	{ID: "district_hospital"},
	{ID: "health_center", Parents: []string{"district_hospital"}},
	{ID: "clinic", Parents: []string{"health_center"}},
	{ID: "person", Person: true, Parents: []string{"district_hospital", "health_center", "clinic"}},
}

// contactTypes reads the configured hierarchy.
func contactTypes(settings map[string]any) []ContactType {
	list, ok := settings["contact_types"].([]any)
	if !ok {
		return legacyTypes
	}
	var out []ContactType
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		id, _ := m["id"].(string)
		if id == "" {
			continue
		}
		ct := ContactType{ID: id, Person: m["person"] == true || id == "person"}
		if ps, ok := m["parents"].([]any); ok {
			for _, p := range ps {
				if s, ok := p.(string); ok {
					ct.Parents = append(ct.Parents, s)
				}
			}
		}
		out = append(out, ct)
	}
	return out
}

func findType(settings map[string]any, id string) *ContactType {
	for _, t := range contactTypes(settings) {
		if t.ID == id {
			return &t
		}
	}
	return nil
}

// hardcodedTypes are the doc types that are contacts without a contact_type.
var hardcodedTypes = map[string]bool{"district_hospital": true, "health_center": true, "clinic": true, "person": true}

// typeOf returns the contact type id of a contact document, or "" for a non-contact.
func typeOf(doc *object) string {
	t, _ := doc.vals["type"].(string)
	if t == "contact" {
		ct, _ := doc.vals["contact_type"].(string)
		return ct
	}
	if hardcodedTypes[t] {
		return t
	}
	return ""
}

// isContactDocType tells whether a doc type is one contacts-by-phone indexes.
func isContactDocType(t string) bool { return t == "contact" || hardcodedTypes[t] }

func (t *ContactType) allowsParent(parent string) bool {
	for _, p := range t.Parents {
		if p == parent {
			return true
		}
	}
	return false
}
