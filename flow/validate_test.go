package flow_test

import (
	"encoding/json"
	"testing"

	"careflow/flow"
)

// newFlow builds a small valid messaging flow: a send_msg node leading to a waiting switch.
func newFlow() *flow.Flow {
	return &flow.Flow{
		UUID: "76f0a02f-3b75-4b86-9064-e9195e1b3a02", Name: "Test", Language: "eng", Type: flow.TypeMessaging,
		Localization: flow.Localization{},
		Nodes: []*flow.Node{
			{
				UUID: "a58be63b-907d-4a1a-856b-0bb5579d7507",
				Actions: []flow.Action{&flow.SendMsg{
					BaseAction: flow.BaseAction{ActionType: flow.TypeSendMsg, ActionUUID: "e5a03dde-3b2f-4603-b5d0-d927f6bcc361"},
					MsgContent: flow.MsgContent{Text: "Hi"},
				}},
				Exits: []*flow.Exit{{UUID: "37d8813f-1402-4ad2-9cc2-e9054a96525b", DestinationUUID: "714f1409-486e-4e8e-bb08-23e2943ef9f6"}},
			},
			{
				UUID: "714f1409-486e-4e8e-bb08-23e2943ef9f6",
				Router: &flow.Router{
					Type: flow.RouterSwitch, Operand: "@input.text", Wait: &flow.Wait{Type: flow.WaitMsg},
					Categories:          []*flow.Category{{UUID: "13fea3d4-b925-495b-b593-1c9e905e700d", Name: "All", ExitUUID: "5d6abc80-39e7-4620-9988-a2447bffe526"}},
					DefaultCategoryUUID: "13fea3d4-b925-495b-b593-1c9e905e700d",
				},
				Exits: []*flow.Exit{{UUID: "5d6abc80-39e7-4620-9988-a2447bffe526"}},
			},
		},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *flow.Flow)
		want   string
	}{
		{"OK", func(f *flow.Flow) {}, ""},
		{"ErrCategoryExitMissing", func(f *flow.Flow) { f.Nodes[1].Exits[0].UUID = f.Nodes[0].Exits[0].UUID },
			"invalid node[uuid=714f1409-486e-4e8e-bb08-23e2943ef9f6]: invalid router: category exit 5d6abc80-39e7-4620-9988-a2447bffe526 is not a valid exit"},
		{"ErrDuplicateExitUUID", func(f *flow.Flow) {
			f.Nodes[1].Exits[0].UUID = f.Nodes[0].Exits[0].UUID
			f.Nodes[1].Router.Categories[0].ExitUUID = f.Nodes[0].Exits[0].UUID
		}, "invalid node[uuid=714f1409-486e-4e8e-bb08-23e2943ef9f6]: exit UUID 37d8813f-1402-4ad2-9cc2-e9054a96525b isn't unique"},
		{"ErrActionUUIDReusesNodeUUID", func(f *flow.Flow) {
			f.Nodes[0].Actions[0].(*flow.SendMsg).ActionUUID = "a58be63b-907d-4a1a-856b-0bb5579d7507"
		},
			"invalid node[uuid=a58be63b-907d-4a1a-856b-0bb5579d7507]: action UUID a58be63b-907d-4a1a-856b-0bb5579d7507 isn't unique"},
		{"ErrWaitInBackgroundFlow", func(f *flow.Flow) { f.Type = flow.TypeMessagingBackground },
			"invalid node[uuid=714f1409-486e-4e8e-bb08-23e2943ef9f6]: invalid router: wait type 'msg' is not allowed in a flow of type 'messaging_background'"},
		{"ErrUnknownTest", func(f *flow.Flow) {
			f.Nodes[1].Router.Cases = []*flow.Case{{UUID: "98503572-25bf-40ce-ad72-8836b6549a38", Type: "has_icecream", CategoryUUID: "13fea3d4-b925-495b-b593-1c9e905e700d"}}
		}, "invalid node[uuid=714f1409-486e-4e8e-bb08-23e2943ef9f6]: invalid router: invalid case[uuid=98503572-25bf-40ce-ad72-8836b6549a38]: has_icecream is not a registered test function"},
		{"ErrLocalizationLanguage", func(f *flow.Flow) {
			f.Localization.Set("xxx", "e5a03dde-3b2f-4603-b5d0-d927f6bcc361", "text", []string{"Hola"})
		},
			"invalid localization: invalid language code 'xxx'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFlow()
			tc.change(f)
			got := ""
			if err := f.Validate(); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Fatalf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestWriteReadStable checks a flow built in code writes at the current spec version and
// reads back to the same JSON.
func TestWriteReadStable(t *testing.T) {
	f := newFlow()
	f.Localization.Set("spa", "e5a03dde-3b2f-4603-b5d0-d927f6bcc361", "text", []string{"Hola"})
	first, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	back, err := flow.Read(first)
	if err != nil {
		t.Fatal(err)
	}
	second, _ := json.Marshal(back)
	if string(first) != string(second) {
		t.Fatalf("not stable:\n%s\n%s", first, second)
	}
	if back.SpecVersion != flow.CurrentSpecVersion || back.Localization.Get("spa", "e5a03dde-3b2f-4603-b5d0-d927f6bcc361", "text")[0] != "Hola" {
		t.Fatalf("unexpected read back: %s", second)
	}
	if _, ok := back.Nodes[0].Actions[0].(*flow.SendMsg); !ok {
		t.Fatalf("action read as %T", back.Nodes[0].Actions[0])
	}
}
