package outbound

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"careflow/secret"
)

type fakeCreds map[string]string

func (f fakeCreds) Get(_ context.Context, k string) (string, error) { return f[k], nil }

func TestValidate(t *testing.T) {
	good := `{"relevant_to":"doc.type === 'data_record'","destination":{"base_url":"https://textit.in","path":"/api/v2/flow_starts.json",
		"auth":{"type":"header","name":"Authorization","value_key":"textit"}},"mapping":{"flow":{"expr":"'x'"},"id":"doc._id"}}`
	cases := []struct {
		name   string
		config string
		want   []string // substrings of the one message expected; none: valid
	}{
		{"Valid", good, nil},
		{"BadJavaScript", strings.Replace(good, `doc.type === 'data_record'`, `doc.type ===`, 1), []string{"outbound 'p': relevant_to: SyntaxError"}},
		{"BadExpr", strings.Replace(good, `"'x'"`, `"[1,"`, 1), []string{`outbound 'p': mapping "flow": expr: SyntaxError`}},
		{"MissingCredential", strings.Replace(good, `"textit"`, `"absent"`, 1), []string{"outbound 'p': credential 'absent'"}},
		{"BadCron", strings.Replace(good, `"mapping"`, `"cron":"0 0 * * 7","mapping"`, 1), []string{"outbound 'p': invalid cron expression", "day of week"}},
		{"NoDestination", `{"relevant_to":"true","mapping":{"a":"doc.a"}}`, []string{"outbound 'p': destination must be an object"}},
		{"NoMapping", strings.Replace(good, `"mapping":{"flow":{"expr":"'x'"},"id":"doc._id"}`, `"x":1`, 1), []string{"outbound 'p': mapping must be an object"}},
		{"UnknownAuth", strings.Replace(good, `"type":"header"`, `"type":"oauth"`, 1), []string{`destination.auth.type "oauth"`}},
		{"EntryWithoutPathOrExpr", strings.Replace(good, `"id":"doc._id"`, `"id":{"optional":true}`, 1), []string{`mapping "id": either 'expr' or 'path' is required`}},
	}
	sb := NewSandbox()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var settings map[string]any
			if err := json.Unmarshal([]byte(`{"outbound":{"p":`+tc.config+`}}`), &settings); err != nil {
				t.Fatal(err)
			}
			got := Validate(context.Background(), sb, fakeCreds{"textit": "Token t"}, settings)
			if tc.want == nil {
				if len(got) != 0 {
					t.Fatalf("unexpected problems %q", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one problem, got %q", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got[0], w) {
					t.Fatalf("problem %q does not mention %q", got[0], w)
				}
			}
		})
	}
}

func TestURLJoin(t *testing.T) {
	cases := []struct{ base, path, want string }{
		{"https://textit.in", "/api/v2/flow_starts.json", "https://textit.in/api/v2/flow_starts.json"},
		{"https://example.com/", "/hook/?key=1", "https://example.com/hook?key=1"},
		{"https://example.com/api/", "v1//referral/", "https://example.com/api/v1//referral/"},
		{"https://example.com/", "", "https://example.com"},
		{"https://example.com", "/a///", "https://example.com/a/"},
		{"https://example.com", "/a?x=1?y=2", "https://example.com/a?x=1&y=2"},
	}
	for _, tc := range cases {
		if got, err := URLJoin(tc.base, tc.path); err != nil || got != tc.want {
			t.Errorf("URLJoin(%q, %q) = %q, %v; want %q", tc.base, tc.path, got, err, tc.want)
		}
	}
	if _, err := URLJoin("https://x", Undefined); err == nil || err.Error() != "Url must be a string. Received undefined" {
		t.Errorf("missing path: %v", err)
	}
}

func TestCronNextDue(t *testing.T) {
	c, err := ParseCron("30 2 * * *")
	if err != nil {
		t.Fatal(err)
	}
	now := mustTime(t, "2026-05-01T10:00:00Z")
	next, ok := c.NextDue(now)
	if !ok || !next.Equal(mustTime(t, "2026-05-02T02:25:00Z")) {
		t.Fatalf("next due %v %v", next, ok)
	}
	if !c.Due(next) || c.Due(next.Add(-time1)) {
		t.Fatal("window edges")
	}
}

type wrongKeyCreds struct{}

func (wrongKeyCreds) Get(_ context.Context, k string) (string, error) {
	return "", fmt.Errorf("credential '%s' cannot be decrypted with this node's secrets key: %w", k, secret.ErrWrongKey)
}

// TestCredentialOfAnotherKey: a credential sealed with another node's key is reported as
// such at save time (a warning) and at push time, never as "not configured".
func TestCredentialOfAnotherKey(t *testing.T) {
	var settings map[string]any
	json.Unmarshal([]byte(`{"outbound":{"p":{"destination":{"auth":{"type":"header","name":"Authorization","value_key":"k"}}}}}`), &settings)
	w := CredentialWarnings(context.Background(), wrongKeyCreds{}, settings)
	if len(w) != 1 || !strings.Contains(w[0], "outbound 'p': credential 'k' cannot be decrypted with this node's secrets key") {
		t.Fatalf("warnings %q", w)
	}
	if w := CredentialWarnings(context.Background(), fakeCreds{}, settings); len(w) != 1 || !strings.Contains(w[0], "is not set yet") {
		t.Fatalf("unset credential: %q", w)
	}
	_, err := (&Sender{Credentials: wrongKeyCreds{}}).credential(context.Background(), "k")
	if err == nil || !strings.Contains(err.Error(), "cannot be decrypted with this node's secrets key") {
		t.Fatalf("push-time error: %v", err)
	}
}
