package migrate

import "testing"

func TestParseVersion(t *testing.T) {
	tests := []struct {
		name, in, want string
		bad            bool
	}{
		{name: "Full", in: "13.1.0", want: "13.1.0"},
		{name: "MajorOnly", in: "13", want: "13.0.0"},
		{name: "MajorMinor", in: "14.4", want: "14.4.0"},
		{name: "PrereleaseIgnored", in: "14.4.2-beta", want: "14.4.2"},
		{name: "ErrEmpty", in: "", bad: true},
		{name: "ErrLetters", in: "x.y", bad: true},
		{name: "ErrTooManyParts", in: "1.2.3.4", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := ParseVersion(tc.in)
			if tc.bad {
				if err == nil {
					t.Fatalf("parsed %q as %s, want an error", tc.in, v)
				}
				return
			}
			if err != nil || v.String() != tc.want {
				t.Fatalf("got %s, %v; want %s", v, err, tc.want)
			}
		})
	}
}

func TestVersionsAreOrderedAndEndAtCurrent(t *testing.T) {
	vs := Versions()
	if len(vs) != 15 {
		t.Fatalf("%d migrations registered, want 15 (13.1.0 … 14.4.2)", len(vs))
	}
	for i := 1; i < len(vs); i++ {
		if vs[i-1].Compare(vs[i]) >= 0 {
			t.Fatalf("%s registered before %s", vs[i-1], vs[i])
		}
	}
	if vs[len(vs)-1] != Current {
		t.Fatalf("last migration %s, current %s", vs[len(vs)-1], Current)
	}
}

func TestToVersionSkipsOlderAndStopsAtTarget(t *testing.T) {
	f := Flow{
		"uuid": "76f0a02f-3b75-4b86-9064-e9195e1b3a02", "name": "Test", "spec_version": "14.3.1",
		"language": "eng", "type": "messaging",
		"nodes": []any{map[string]any{"uuid": "a58be63b-907d-4a1a-856b-0bb5579d7507",
			"actions": []any{map[string]any{"type": "send_msg", "uuid": "e5a03dde-3b2f-4603-b5d0-d927f6bcc361", "text": "hi", "all_urns": true}}}},
	}
	from, err := ToVersion(f, MustParseVersion("14.4.0"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if from.String() != "14.3.1" || f["spec_version"] != "14.4.0" {
		t.Fatalf("from %s to %v", from, f["spec_version"])
	}
	action := f["nodes"].([]any)[0].(map[string]any)["actions"].([]any)[0].(map[string]any)
	if _, ok := action["all_urns"]; ok {
		t.Fatal("14.4.0 should have removed all_urns")
	}
}

func TestCheckHeader(t *testing.T) {
	tests := []struct {
		name string
		f    Flow
		want string
	}{
		{"ErrAllMissing", Flow{}, "field 'uuid' is required, field 'name' is required, field 'spec_version' is required"},
		{"ErrBadUUID", Flow{"uuid": "nope", "name": "x", "spec_version": "13.0.0"}, "field 'uuid' must be a valid UUID"},
		{"OK", Flow{"uuid": "76f0a02f-3b75-4b86-9064-e9195e1b3a02", "name": "x", "spec_version": "13.0.0"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CheckHeader(tc.f)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
