package engine_test

import (
	"testing"

	"careflow/engine"
)

// TestJSONReadersSkipUnknownKeys checks that members the readers don't know are passed over
// whatever their value, and the known ones around them are still read.
func TestJSONReadersSkipUnknownKeys(t *testing.T) {
	tests := []struct {
		name, json string
	}{
		{"object", `{"uuid": "c1", "x": {"a": [1, {"b": "}"}]}, "name": "Ann", "status": "blocked"}`},
		{"array", `{"x": [[], {}, "]"], "uuid": "c1", "name": "Ann", "status": "blocked"}`},
		{"scalars", `{"a": null, "uuid": "c1", "b": 12.5e3, "name": "Ann", "c": true, "d": "\"", "status": "blocked"}`},
		{"spaces", "{ \"x\" :  \t\"y\" , \"uuid\":\"c1\",\"name\" : \"Ann\", \"status\":\"blocked\" , \"z\" : [ ] }"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := engine.ReadContact([]byte(tc.json), nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.UUID != "c1" || c.Name != "Ann" || c.Status != "blocked" {
				t.Errorf("read %+v", c)
			}
			s := &engine.Session{}
			if err := s.UnmarshalJSON([]byte(`{"uuid": "s1", "unknown": ` + tc.json + `, "status": "waiting", "runs": []}`)); err != nil {
				t.Fatal(err)
			}
			if s.UUID != "s1" || s.Status != "waiting" {
				t.Errorf("read %+v", s)
			}
		})
	}
}
