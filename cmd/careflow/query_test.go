package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestQueryCommand(t *testing.T) {
	const assets = `{"fields": [{"key": "age", "name": "Age", "type": "number"}], "groups": [{"uuid": "b7cf0d83-f1c9-411c-96fd-c511a4cfa86d", "name": "Testers"}]}`
	const contact = `{"uuid": "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3", "status": "active", "created_on": "2020-01-01T00:00:00Z", "fields": {"age": {"text": "40", "number": 40}}}`
	tests := []struct {
		name       string
		args       []string
		wantOut    []string
		wantErr    string
		wantFailed bool
	}{
		{name: "CanonicalFormAndReferences", args: []string{"-assets", assets, "age>30 group=testers"},
			wantOut: []string{`query:      fields.age > 30 AND group = "testers"`, `fields:     age (Age)`, `groups:     Testers (b7cf0d83-f1c9-411c-96fd-c511a4cfa86d)`, `as group:   false`}},
		{name: "WithoutAssets", args: []string{"bob or tel ~ 1800"},
			wantOut: []string{`query:      name ~ "bob" OR urns.tel ~ 1800`, `schemes:    tel`}},
		{name: "MatchesContact", args: []string{"-assets", assets, "-contact", contact, "age >= 40"},
			wantOut: []string{`matches:    true`}},
		{name: "JSONOutput", args: []string{"-json", "-assets", assets, "age = 1"},
			wantOut: []string{`"query": "fields.age = 1"`, `"allow_as_group": true`}},
		{name: "QueryErrorFails", args: []string{"-assets", assets, "agee = 1"},
			wantErr: "error [unknown_property]: can't resolve 'agee' to attribute, scheme or field", wantFailed: true},
		{name: "JSONError", args: []string{"-json", "name ~ x"},
			wantOut: []string{`"code": "invalid_partial_name"`}, wantFailed: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := runQuery(context.Background(), tc.args, &out, &errOut)
			if (err != nil) != tc.wantFailed {
				t.Fatalf("runQuery error = %v, want failure %v (stderr %s)", err, tc.wantFailed, errOut.String())
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if tc.wantErr != "" && !strings.Contains(errOut.String(), tc.wantErr) {
				t.Errorf("stderr = %q, want %q", errOut.String(), tc.wantErr)
			}
		})
	}
}
