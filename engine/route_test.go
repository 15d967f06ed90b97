package engine_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"careflow/engine"
	_ "careflow/engine/builtin"
	"careflow/engine/enginetest"
	"careflow/engine/event"
	"careflow/expr"
)

// urnProbe is what a flow sees of the contact's URN and what its message is addressed to.
const urnProbe = `@contact.urn|@(default(urn_parts(contact.urn).scheme, "none"))|@contact.channel.name|@(format_urn(contact.urn))|@(urns.tel)`

// channels used by the cases below; roles and schemes decide which can send where.
const (
	chTelRW     = `{"uuid": "57f1078f-88aa-46f4-a59a-948a5739c03d", "name": "Rwanda SIM", "address": "+250788000000", "schemes": ["tel"], "roles": ["send", "receive"], "country": "RW"}`
	chTelUS     = `{"uuid": "8e21f093-99aa-413b-b55b-758b54308fcb", "name": "US Number", "address": "+12065550000", "schemes": ["tel"], "roles": ["send", "receive"], "country": "US"}`
	chTelRecv   = `{"uuid": "a9e6ad82-33a8-4b2c-8e2a-2f0a0d4d7c11", "name": "Receive Only", "address": "+250788111111", "schemes": ["tel"], "roles": ["receive"], "country": "RW"}`
	chTwitter   = `{"uuid": "0f661e8b-ea9d-4bd3-9953-d368340acf91", "name": "Twitter", "address": "careflow", "schemes": ["twitter"], "roles": ["send", "receive"]}`
	chWhatsApp  = `{"uuid": "4bb288a0-7fca-4da1-abe8-59a593aff648", "name": "WhatsApp", "address": "+250788222222", "schemes": ["whatsapp"], "roles": ["send", "receive"]}`
	chTelegramR = `{"uuid": "1ae96956-4b34-433e-8d1a-f05fe6923d6d", "name": "Telegram Inbox", "address": "cf_bot", "schemes": ["telegram"], "roles": ["receive"]}`
)

func TestContactURNFollowsChannels(t *testing.T) {
	cases := []struct {
		name     string
		channels []string
		urns     []string
		text     string // the probe rendered
		urn      string // the URN the message goes to ("" = no route)
	}{
		{"NoChannelsNoURN", nil, []string{"tel:+250788123123"},
			"|none|||tel:+250788123123", ""},
		{"FirstSendableURNWins", []string{chTelRW}, []string{"twitter:bob", "tel:+250788123123"},
			"tel:+250788123123|tel|Rwanda SIM|0788 123 123|tel:+250788123123", "tel:+250788123123"},
		{"OtherSchemeChannel", []string{chTwitter}, []string{"tel:+250788123123", "twitter:bob"},
			"twitter:bob|twitter|Twitter|bob|tel:+250788123123", "twitter:bob"},
		{"ReceiveOnlyChannelCannotSend", []string{chTelRecv}, []string{"tel:+250788123123"},
			"|none|||tel:+250788123123", ""},
		{"ForeignNumberNeedsInternational", []string{chTelRW}, []string{"tel:+12065551212"},
			"|none|||tel:+12065551212", ""},
		{"AffinityToReceiveOnlyFallsBack", []string{chTelRecv, chTelRW}, []string{"tel:+250788123123?channel=a9e6ad82-33a8-4b2c-8e2a-2f0a0d4d7c11"},
			"tel:+250788123123|tel|Rwanda SIM|0788 123 123|tel:+250788123123", "tel:+250788123123"},
		{"CountryPicksChannel", []string{chTelRW, chTelUS}, []string{"tel:+12065551212"},
			"tel:+12065551212|tel|US Number|(206) 555-1212|tel:+12065551212", "tel:+12065551212"},
		{"WhatsAppNotSentByTel", []string{chTelRW}, []string{"whatsapp:250788123123"},
			"|none|||", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg := sendProbe(t, tc.channels, tc.urns, urnProbe)
			if msg.Text != tc.text {
				t.Errorf("text %q, want %q", msg.Text, tc.text)
			}
			if msg.URN != tc.urn {
				t.Errorf("message to %q, want %q", msg.URN, tc.urn)
			}
		})
	}
}

// sendProbe starts a one-action flow sending text to a contact with urns, in a workspace with
// channels, and returns the message.
func sendProbe(t *testing.T, channels, urns []string, text string) *event.MsgOut {
	t.Helper()
	assets := probeAssets(t, channels, fmt.Sprintf(`{"type": "send_msg", "uuid": "d1b1b9a4-0c39-4e7e-b5d8-6a4fb3f09e41", "text": %q}`, text))
	sprint := startProbe(t, assets, urns)
	for _, ev := range sprint.Events {
		if m, ok := ev.(*event.MsgCreated); ok {
			return m.Msg
		}
	}
	t.Fatalf("no msg_created in %s", mustMarshal(t, sprint.Events))
	return nil
}

func probeAssets(t *testing.T, channels []string, actions ...string) *engine.Assets {
	t.Helper()
	chs := "[]"
	if len(channels) > 0 {
		chs = "[" + join(channels) + "]"
	}
	src := fmt.Sprintf(`{"channels": %s, "flows": [{"uuid": "5a3b4c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d", "name": "Probe",
		"spec_version": "14.4.2", "language": "eng", "type": "messaging", "nodes": [{"uuid": "e5a0c3f4-9a2b-4d7e-8f1c-2b3a4c5d6e7f",
		"actions": [%s], "exits": [{"uuid": "f6b1d4e5-0b3c-4e8f-9a2d-3c4b5d6e7f80"}]}]}]}`, chs, join(actions))
	assets, err := engine.ReadAssets([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return assets
}

func startProbe(t *testing.T, assets *engine.Assets, urns []string) *engine.Sprint {
	t.Helper()
	contact, err := engine.ReadContact([]byte(fmt.Sprintf(`{"uuid": "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3", "name": "Bob", "status": "active",
		"created_on": "2020-01-01T00:00:00Z", "urns": %s}`, mustMarshal(t, urns))), assets)
	if err != nil {
		t.Fatal(err)
	}
	f, err := assets.Flow(assets.FlowUUIDs()[0])
	if err != nil {
		t.Fatal(err)
	}
	eng := enginetest.NewEngine(enginetest.Config{})
	trigger := &engine.Trigger{Type: "manual", Flow: f.Reference(false), TriggeredOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	_, sprint, err := eng.Start(assets, expr.NewEnvironment(nil), contact, trigger, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sprint
}

func join(items []string) string {
	out := ""
	for i, s := range items {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
