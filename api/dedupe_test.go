package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"careflow/store"
)

type memDedupe map[string][]byte

func (m memDedupe) Seen(r *http.Request, ws int64) (int, []byte, bool, error) {
	b, ok := m[r.Header.Get("Idempotency-Key")]
	return http.StatusCreated, b, ok, nil
}

func (m memDedupe) Remember(r *http.Request, ws int64, status int, body []byte) error {
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		m[k] = append([]byte(nil), body...)
	}
	return nil
}

// TestDedupeHook: with a Deduper, a retried write is answered from the first answer and the
// handler runs once; a refused write is not remembered.
func TestDedupeHook(t *testing.T) {
	a := &API{Dedupe: memDedupe{}}
	runs := 0
	h := func(c *call) error {
		runs++
		if strings.Contains(c.r.URL.RawQuery, "bad") {
			return fieldErr("flow", "This field is required.")
		}
		return c.ok(http.StatusCreated, map[string]int{"run": runs})
	}
	do := func(query string) (int, string) {
		req := httptest.NewRequest("POST", "/api/v2/flow_starts.json?"+query, nil)
		req.Header.Set("Idempotency-Key", "k-"+query)
		w := httptest.NewRecorder()
		c := &call{w: w, r: req, api: a, ws: &store.Workspace{ID: 1}}
		if err := a.deduped(c, h); err != nil {
			writeError(w, err)
		}
		return w.Code, w.Body.String()
	}
	for range 2 {
		if st, body := do("a"); st != 201 || body != `{"run":1}` {
			t.Fatalf("got %d %s", st, body)
		}
	}
	do("bad")
	if st, _ := do("bad"); st != 400 || runs != 3 {
		t.Fatalf("refused write replayed: %d after %d runs", st, runs)
	}
}
