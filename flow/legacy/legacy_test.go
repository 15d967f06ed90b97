package legacy

import "testing"

func TestSnakify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Response 1", "response_1"},
		{"  Favorite Color ", "favorite_color"},
		{"Años & Días!", "años_días_"},
		{"already_snake", "already_snake"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := snakify(tc.in); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestURLJoin(t *testing.T) {
	tests := []struct{ name, base, rel, want string }{
		{"Relative", "https://myfiles.com", "attachments/a.jpg", "https://myfiles.com/attachments/a.jpg"},
		{"BothSlashes", "https://myfiles.com/", "/a.jpg", "https://myfiles.com/a.jpg"},
		{"AlreadyAbsolute", "https://myfiles.com", "http://other.com/a.jpg", "http://other.com/a.jpg"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := urlJoin(tc.base, tc.rel); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestConvertNeedsUUIDs(t *testing.T) {
	if _, err := Convert(map[string]any{"flow_type": "F"}, Config{}); err == nil {
		t.Fatal("conversion without a UUID generator should fail")
	}
}

func TestIsLegacy(t *testing.T) {
	tests := []struct {
		name string
		f    map[string]any
		want bool
	}{
		{"ActionSets", map[string]any{"action_sets": []any{}}, true},
		{"FlowTypeOnly", map[string]any{"flow_type": "M"}, true},
		{"Current", map[string]any{"nodes": []any{}, "spec_version": "13.0.0"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsLegacy(tc.f); got != tc.want {
				t.Fatalf("got %v", got)
			}
		})
	}
}
