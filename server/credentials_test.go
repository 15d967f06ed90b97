package server_test

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"careflow/cht"
	"careflow/secret"
)

// TestNodesWithDifferentKeys: a node whose secrets key differs from the one that stored a
// credential says exactly that (when settings are saved and when the credential is read for
// a push), instead of calling the credential "not configured".
func TestNodesWithDifferentKeys(t *testing.T) {
	backends(t, func(t *testing.T, db string) {
		if db == "" {
			db = filepath.Join(t.TempDir(), "shared.db")
		}
		a, _ := startServerWith(t, db, nil, io.Discard)
		// Each node has its own data folder, hence its own key file: a misconfigured pair.
		b, srvB := startServerWith(t, db, map[string]string{"test.second_node": "yes"}, io.Discard)
		b.password = a.password
		if st, body := a.do("PUT", "/api/v1/credentials/rp-token", "text/plain", "Token secret-token", true); st != 200 {
			t.Fatalf("credential: %d %s", st, body)
		}
		config := `{"outbound":{"rp":{"relevant_to":"doc.type === 'person'","destination":{"base_url":"https://example.org","path":"/x",` +
			`"auth":{"type":"header","name":"Authorization","value_key":"rp-token"}},"mapping":{"id":"doc._id"}}}}`
		if st, body := a.do("PUT", "/api/v1/settings", "application/json", config, true); st != 200 || strings.Contains(body, "warnings") {
			t.Fatalf("settings on the node with the key: %d %s", st, body)
		}
		st, body := b.do("PUT", "/api/v1/settings?overwrite=true", "application/json", config, true)
		if st != 200 || !strings.Contains(body, `outbound 'rp': credential 'rp-token' cannot be decrypted with this node's secrets key: it was stored by a node with a different key; nodes sharing a database must share one key`) {
			t.Fatalf("settings on the node without the key: %d %s", st, body)
		}
		_, err := cht.NewCredentials(srvB.Store, srvB.Secrets).Get(context.Background(), "rp-token")
		if !errors.Is(err, secret.ErrWrongKey) || !strings.Contains(err.Error(), "cannot be decrypted with this node's secrets key") {
			t.Fatalf("reading the credential on the other node: %v", err)
		}
	})
}
