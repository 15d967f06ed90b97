package cht

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
)

// demoSettings are the app settings of the demonstration data: Kenya's calling code, the
// default roles and permissions, two JSON forms a RapidPro flow can submit, and contact
// attribution by phone.
const demoSettings = `{
  "locale": "en",
  "default_country_code": 254,
  "transitions": {"update_clinics": true},
  "forms": {
    "RPRESULT": {
      "meta": {"code": "RPRESULT", "icon": "icon-healthcare", "label": "RapidPro visit result"},
      "fields": {
        "patient_id":  {"type": "string", "required": true, "labels": {"short": "Patient ID", "tiny": "pid"}, "position": 0},
        "outcome":     {"type": "string", "required": true, "labels": {"short": "Outcome", "tiny": "out"}, "position": 1},
        "visit_count": {"type": "integer", "labels": {"short": "Visit count", "tiny": "vc"}, "position": 2},
        "consent":     {"type": "boolean", "labels": {"short": "Consent", "tiny": "cs"}, "position": 3},
        "visit_date":  {"type": "date", "labels": {"short": "Visit date", "tiny": "vd"}, "position": 4}
      },
      "public_form": true
    },
    "SURVEY": {
      "meta": {"code": "SURVEY", "label": "Household survey"},
      "fields": {
        "household_size": {"type": "integer", "required": true},
        "has_water":      {"type": "boolean"},
        "notes":          {"type": "string"}
      },
      "public_form": false
    }
  }
}`

// LoadDemo fills an empty careflow with demonstration data: settings with JSON forms, a
// district hospital, health center and clinic with people who have phones, and a "rapidpro"
// gateway user. It returns the gateway user's password. It does nothing (and returns "")
// when documents already exist.
func LoadDemo(ctx context.Context, settings *Settings, contacts *Contacts, users *Users) (string, error) {
	n, err := contacts.docs.Store.CountDocs(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	if _, err := settings.Update(ctx, []byte(demoSettings), MergeDeep); err != nil {
		return "", fmt.Errorf("demo settings: %w", err)
	}
	places := []string{
		`{"_id":"demo-district","type":"district_hospital","name":"Central District",
		  "contact":{"_id":"demo-manager","name":"Grace Wanjiru","phone":"+254722000001"}}`,
		`{"_id":"demo-hc","type":"health_center","name":"Kibera Health Center","parent":"demo-district",
		  "contact":{"_id":"demo-nurse","name":"Joseph Otieno","phone":"+254722000002"}}`,
		`{"_id":"demo-clinic","type":"clinic","name":"Otieno Household","parent":"demo-hc",
		  "contact":{"_id":"demo-chw","name":"Akinyi Otieno","phone":"+254712345678","sex":"female","date_of_birth":"1990-04-02"}}`,
	}
	for _, p := range places {
		if _, err := contacts.CreatePlace(ctx, []byte(p)); err != nil {
			return "", fmt.Errorf("demo place: %w", err)
		}
	}
	people := []string{
		`{"_id":"demo-patient-1","name":"Baraka Otieno","phone":"+254712000111","sex":"male","date_of_birth":"2019-06-15","place":"demo-clinic"}`,
		`{"_id":"demo-patient-2","name":"Neema Otieno","phone":"+254712000222","sex":"female","date_of_birth":"2021-01-20","place":"demo-clinic"}`,
	}
	for _, p := range people {
		if _, err := contacts.CreatePerson(ctx, []byte(p)); err != nil {
			return "", fmt.Errorf("demo person: %w", err)
		}
	}
	password := RandomPassword()
	if err := users.CreateDirect(ctx, "rapidpro", password, []string{RoleGateway, RoleOnline}); err != nil {
		return "", fmt.Errorf("demo gateway user: %w", err)
	}
	return password, nil
}

// RandomPassword returns a fresh 20-character password mixing letters, digits and symbols.
func RandomPassword() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic("cht: no randomness: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// DefaultSettings are what a new careflow starts with: CHT's default roles and permissions
// and the English locale, as CHT's own fresh install has.
func DefaultSettings() []byte {
	b, _ := json.Marshal(map[string]any{"locale": "en", "roles": DefaultRoles(), "permissions": DefaultPermissions()})
	return b
}
