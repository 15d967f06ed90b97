package flow_test

import (
	"strings"
	"testing"

	"careflow/flow"
)

func TestReadRejects(t *testing.T) {
	tests := []struct {
		name, def, want string
	}{
		{"ErrNotJSON", `{`, "unexpected EOF"},
		{"ErrNotObject", `[]`, "flow definition isn't an object"},
		{"ErrNewerSpec", `{"uuid": "76f0a02f-3b75-4b86-9064-e9195e1b3a02", "name": "X", "spec_version": "14.5.0", "language": "eng", "type": "messaging", "nodes": []}`,
			"spec version 14.5.0 is newer than this library (14.4.2)"},
		{"ErrMissingHeader", `{"nodes": []}`, "unable to read flow header: field 'uuid' is required, field 'name' is required, field 'spec_version' is required"},
		{"ErrUnknownAction", `{"uuid": "76f0a02f-3b75-4b86-9064-e9195e1b3a02", "name": "X", "spec_version": "14.4.2", "language": "eng", "type": "messaging",
			"nodes": [{"uuid": "a58be63b-907d-4a1a-856b-0bb5579d7507", "actions": [{"type": "do_magic", "uuid": "e5a03dde-3b2f-4603-b5d0-d927f6bcc361"}], "exits": [{"uuid": "37d8813f-1402-4ad2-9cc2-e9054a96525b"}]}]}`,
			"unable to read action[0]: unknown type: 'do_magic'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := flow.Read([]byte(tc.def))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestReadAllExport(t *testing.T) {
	export := `{"version": "13", "site": "https://app.rapidpro.io", "flows": [
		{"uuid": "76f0a02f-3b75-4b86-9064-e9195e1b3a02", "name": "A", "spec_version": "13.0.0", "language": "base", "type": "messaging", "nodes": []},
		{"metadata": {"uuid": "50c3706e-fedb-42c0-8eab-dda3335714b7", "name": "Legacy"}, "base_language": "eng", "flow_type": "F", "action_sets": [], "rule_sets": []}
	]}`
	flows, err := flow.ReadConfig{}.ReadAll([]byte(export))
	if err != nil {
		t.Fatal(err)
	}
	if len(flows) != 2 || flows[0].Language != "und" || flows[1].Name != "Legacy" || flows[1].SpecVersion != flow.CurrentSpecVersion {
		t.Fatalf("unexpected flows: %+v %+v", flows[0], flows[1])
	}
	if _, err := (flow.ReadConfig{}).ReadAll([]byte(strings.Replace(export, `"name": "A"`, `"name": ""`, 1))); err == nil ||
		!strings.HasPrefix(err.Error(), "flows[0]: ") {
		t.Fatalf("want a positioned error, got %v", err)
	}
}
