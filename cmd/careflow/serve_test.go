package main

import "testing"

func TestEnvBool(t *testing.T) {
	cases := []struct {
		value string
		want  bool
		err   bool
	}{
		{"", false, false}, {"0", false, false}, {"false", false, false}, {"off", false, false}, {"No", false, false},
		{"1", true, false}, {"true", true, false}, {"on", true, false}, {" YES ", true, false},
		{"maybe", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			t.Setenv("CAREFLOW_TEST_BOOL", tc.value)
			got, err := envBool("CAREFLOW_TEST_BOOL")
			if got != tc.want || (err != nil) != tc.err {
				t.Fatalf("envBool(%q) = %v, %v", tc.value, got, err)
			}
		})
	}
}
