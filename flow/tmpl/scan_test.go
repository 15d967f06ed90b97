package tmpl

import (
	"reflect"
	"strings"
	"testing"
)

func TestRewriteRefs(t *testing.T) {
	webhookJSON := func(name, rest string) (string, string, bool) {
		if name == "webhook" {
			return "webhook.json", rest, true
		}
		return name, rest, false
	}
	tests := []struct {
		name, in, want string
	}{
		{"BareReference", "@webhook", "@webhook.json"},
		{"ReferenceWithChain", "@webhook.foo bar", "@webhook.json.foo bar"},
		{"InsideExpression", `@(webhook["foo"])`, `@(webhook.json["foo"])`},
		{"PropertyNotTopLevel", "@results.webhook.extra", "@results.webhook.extra"},
		{"EscapedAt", "flows@@webhook.com", "flows@@webhook.com"},
		{"StringLiteralUntouched", `@(concat("webhook", webhook))`, `@(concat("webhook", webhook.json))`},
		{"FunctionCallUntouched", "@(webhook(1))", "@(webhook(1))"},
		{"TrailingDotNotChain", "@webhook.", "@webhook.json."},
		{"Unterminated", "@(webhook", "@(webhook"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := RewriteRefs(tc.in, webhookJSON); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRefs(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"Simple", "Hi @contact.name!", []string{"contact.name"}},
		{"Several", "@fields.age @(upper(globals.org) & parent.results.x.value)", []string{"fields.age", "globals.org", "parent.results.x.value"}},
		{"None", "no refs @@here", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			Refs(tc.in, func(p []string) { got = append(got, strings.Join(p, ".")) })
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
