package server_test

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"careflow/store/storetest"
)

// TestRecordsIdempotency: a record submission repeated with its Idempotency-Key (in turn or
// at once) is written once and every copy gets the first answer; the key with another body
// is refused.
func TestRecordsIdempotency(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testRecordsIdempotency(t, "") })
	t.Run("postgres", func(t *testing.T) { testRecordsIdempotency(t, storetest.PostgresSchemaDSN(t)) })
}

func testRecordsIdempotency(t *testing.T, db string) {
	e := startServer(t, db)
	if st, body := e.do("PUT", "/api/v1/settings", "application/json", `{"forms":{"V":{"meta":{"code":"V"},"fields":{"n":{"type":"string"}}}}}`, true); st != 200 {
		t.Fatalf("settings: %d %s", st, body)
	}
	post := func(key, body string) (int, string, string) {
		req, _ := http.NewRequest("POST", e.base+"/api/v2/records", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		req.SetBasicAuth("admin", e.password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0, "", ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get("Idempotent-Replayed")
	}
	count := func() int {
		_, body := e.do("GET", `/medic/_design/medic-client/_view/doc_by_type?key=["data_record"]`, "", "", true)
		return strings.Count(body, `"id":`)
	}
	rec := `{"_meta":{"form":"V","from":"+254700000001"},"n":"one"}`

	st, first, replayed := post("key-1", rec)
	if st != 200 || !strings.Contains(first, `"success":true`) || replayed != "" {
		t.Fatalf("first: %d %s %q", st, first, replayed)
	}
	st, again, replayed := post("key-1", rec)
	if st != 200 || again != first || replayed != "true" {
		t.Fatalf("replay: %d %s %q, want %s", st, again, replayed, first)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d records after a replay", n)
	}
	if st, body, _ := post("key-1", `{"_meta":{"form":"V","from":"+254700000001"},"n":"two"}`); st != 422 {
		t.Fatalf("key reused for another record: %d %s", st, body)
	}
	if st, body, _ := post("bad key", rec); st != 400 {
		t.Fatalf("malformed key: %d %s", st, body)
	}

	var wg sync.WaitGroup
	answers := make([]string, 10)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, answers[i], _ = post("key-2", rec)
		}()
	}
	wg.Wait()
	for _, a := range answers {
		if a != answers[0] || !strings.Contains(a, `"success":true`) {
			t.Fatalf("concurrent copies answered %q", answers)
		}
	}
	if n := count(); n != 2 {
		t.Fatalf("%d records after 10 concurrent copies of one more", n)
	}
	if st, _, _ := post("", rec); st != 200 || count() != 3 {
		t.Fatal("a submission without a key is not deduplicated")
	}
}
