package modifier_test

import (
	"strings"
	"testing"

	"careflow/engine"
	"careflow/engine/enginetest"
	"careflow/engine/modifier"
	"careflow/expr"
	"careflow/flow"
)

// TestChannelKeepsOtherAffinity: making a channel preferred moves phone URNs (tel, whatsapp)
// to it, but a URN of another scheme bound to another channel keeps that binding and its
// place, since such an address exists only on its own channel (reference
// UpdatePreferredChannel). A business-scoped WhatsApp id is not a phone number.
func TestChannelKeepsOtherAffinity(t *testing.T) {
	assets, err := engine.ReadAssets([]byte(`{"channels": [
		{"uuid": "4bb288a0-7fca-4da1-abe8-59a593aff648", "name": "Both", "address": "+250788222222", "schemes": ["whatsapp", "telegram"], "roles": ["send", "receive"]},
		{"uuid": "1ae96956-4b34-433e-8d1a-f05fe6923d6d", "name": "Bot", "address": "cf_bot", "schemes": ["telegram"], "roles": ["send", "receive"]},
		{"uuid": "0a7e5d1c-9b1f-4c0e-8e6b-3f1d2c4b5a69", "name": "Other WA", "address": "+250788333333", "schemes": ["whatsapp"], "roles": ["send", "receive"]}
	], "flows": []}`))
	if err != nil {
		t.Fatal(err)
	}
	contact, err := engine.ReadContact([]byte(`{"uuid": "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3", "status": "active", "created_on": "2020-01-01T00:00:00Z", "urns": [
		"telegram:111?channel=1ae96956-4b34-433e-8d1a-f05fe6923d6d",
		"whatsapp:US.abc123?channel=0a7e5d1c-9b1f-4c0e-8e6b-3f1d2c4b5a69",
		"telegram:222",
		"whatsapp:250788123123?channel=0a7e5d1c-9b1f-4c0e-8e6b-3f1d2c4b5a69"
	]}`), assets)
	if err != nil {
		t.Fatal(err)
	}
	eng := enginetest.NewEngine(enginetest.Config{})
	eng.ApplyModifier(assets, expr.NewEnvironment(nil), contact, &modifier.Channel{Channel: &flow.ChannelRef{UUID: "4bb288a0-7fca-4da1-abe8-59a593aff648"}})
	want := []string{
		"telegram:222?channel=4bb288a0-7fca-4da1-abe8-59a593aff648",
		"whatsapp:250788123123?channel=4bb288a0-7fca-4da1-abe8-59a593aff648",
		"telegram:111?channel=1ae96956-4b34-433e-8d1a-f05fe6923d6d",
		"whatsapp:US.abc123?channel=0a7e5d1c-9b1f-4c0e-8e6b-3f1d2c4b5a69",
	}
	if got := strings.Join(contact.URNStrings(), "\n"); got != strings.Join(want, "\n") {
		t.Errorf("urns\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}

// TestUnknownAffinityDropped: affinity to a channel the workspace doesn't have is read as none,
// so the contact is written back without it, as the reference does.
func TestUnknownAffinityDropped(t *testing.T) {
	assets, err := engine.ReadAssets([]byte(`{"flows": []}`))
	if err != nil {
		t.Fatal(err)
	}
	contact, err := engine.ReadContact([]byte(`{"uuid": "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3", "status": "active", "created_on": "2020-01-01T00:00:00Z",
		"urns": ["tel:+250788123123?channel=1ae96956-4b34-433e-8d1a-f05fe6923d6d#Bob"]}`), assets)
	if err != nil {
		t.Fatal(err)
	}
	if got := contact.URNStrings()[0]; got != "tel:+250788123123#Bob" {
		t.Errorf("urn %s, want tel:+250788123123#Bob", got)
	}
}
