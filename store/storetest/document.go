package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"careflow/store"
)

func mustWrite(t *testing.T, s store.Store, w ...store.DocWrite) []store.DocResult {
	t.Helper()
	res, err := s.WriteDocs(ctx(), w)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func testDocs(t *testing.T, open Opener) {
	t.Run("CreateReadKeepsFieldOrder", func(t *testing.T) {
		s := open(t)
		fields := `{"type":"person","name":"Ann","phone":"+254712345678","parent":{"_id":"cl-1","parent":{"_id":"hc-1"}},"reported_date":1777000000000,"z":1,"a":[1,2]}`
		res := mustWrite(t, s, store.DocWrite{ID: "p-1", Fields: []byte(fields)})
		if res[0].Err != nil || !strings.HasPrefix(res[0].Rev, "1-") {
			t.Fatalf("create: %+v", res[0])
		}
		d, err := s.GetDoc(ctx(), "p-1")
		if err != nil {
			t.Fatal(err)
		}
		if string(d.Fields) != fields || d.Rev != res[0].Rev {
			t.Fatalf("read back %s rev %s", d.Fields, d.Rev)
		}
		want := `{"_id":"p-1","_rev":"` + d.Rev + `",` + fields[1:]
		if string(d.JSON()) != want {
			t.Fatalf("JSON() = %s, want %s", d.JSON(), want)
		}
	})
	t.Run("UpdateNeedsCurrentRev", func(t *testing.T) {
		s := open(t)
		r1 := mustWrite(t, s, store.DocWrite{ID: "a", Fields: []byte(`{"v":1}`)})[0]
		if r := mustWrite(t, s, store.DocWrite{ID: "a", Fields: []byte(`{"v":2}`)})[0]; !errors.Is(r.Err, store.ErrConflict) {
			t.Fatalf("update without rev: %+v", r)
		}
		if r := mustWrite(t, s, store.DocWrite{ID: "a", Rev: "1-bogus", Fields: []byte(`{"v":2}`)})[0]; !errors.Is(r.Err, store.ErrConflict) {
			t.Fatalf("update with stale rev: %+v", r)
		}
		r2 := mustWrite(t, s, store.DocWrite{ID: "a", Rev: r1.Rev, Fields: []byte(`{"v":2}`)})[0]
		if r2.Err != nil || !strings.HasPrefix(r2.Rev, "2-") || r2.Seq <= r1.Seq {
			t.Fatalf("update: %+v after %+v", r2, r1)
		}
		d, _ := s.GetDoc(ctx(), "a")
		if string(d.Fields) != `{"v":2}` {
			t.Fatalf("fields %s", d.Fields)
		}
	})
	t.Run("CreateWithRevOfMissingDocConflicts", func(t *testing.T) {
		s := open(t)
		if r := mustWrite(t, s, store.DocWrite{ID: "x", Rev: "1-abc", Fields: []byte(`{}`)})[0]; !errors.Is(r.Err, store.ErrConflict) {
			t.Fatalf("got %+v", r)
		}
		if _, err := s.GetDoc(ctx(), "x"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("conflicting write stored something: %v", err)
		}
	})
	t.Run("DeleteThenRecreate", func(t *testing.T) {
		s := open(t)
		r1 := mustWrite(t, s, store.DocWrite{ID: "d", Fields: []byte(`{"type":"clinic"}`)})[0]
		r2 := mustWrite(t, s, store.DocWrite{ID: "d", Rev: r1.Rev, Deleted: true})[0]
		if r2.Err != nil {
			t.Fatal(r2.Err)
		}
		if _, err := s.GetDoc(ctx(), "d"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted doc still readable: %v", err)
		}
		if docs, _ := s.FindDocs(ctx(), store.DocQuery{Type: "clinic"}); len(docs) != 0 {
			t.Fatalf("deleted doc found: %v", docs)
		}
		r3 := mustWrite(t, s, store.DocWrite{ID: "d", Fields: []byte(`{"type":"clinic","n":2}`)})[0]
		if r3.Err != nil || !strings.HasPrefix(r3.Rev, "3-") {
			t.Fatalf("recreate: %+v", r3)
		}
	})
	t.Run("BatchAppliesWhatItCan", func(t *testing.T) {
		s := open(t)
		mustWrite(t, s, store.DocWrite{ID: "taken", Fields: []byte(`{}`)})
		res := mustWrite(t, s,
			store.DocWrite{ID: "n1", Fields: []byte(`{"type":"person"}`)},
			store.DocWrite{ID: "taken", Fields: []byte(`{}`)},
			store.DocWrite{ID: "n2", Fields: []byte(`{"type":"person"}`)})
		if res[0].Err != nil || !errors.Is(res[1].Err, store.ErrConflict) || res[2].Err != nil {
			t.Fatalf("results %+v", res)
		}
		if n, _ := s.CountDocs(ctx()); n != 3 {
			t.Fatalf("count %d", n)
		}
	})
	t.Run("FindByIndexedFields", func(t *testing.T) {
		s := open(t)
		mustWrite(t, s,
			store.DocWrite{ID: "hc", Fields: []byte(`{"type":"health_center","name":"HC"}`)},
			store.DocWrite{ID: "p1", Fields: []byte(`{"type":"person","phone":"+1555","parent":{"_id":"hc"}}`)},
			store.DocWrite{ID: "p2", Fields: []byte(`{"type":"contact","contact_type":"chw","phone":"+1555","parent":{"_id":"hc"}}`)},
			store.DocWrite{ID: "r1", Fields: []byte(`{"type":"data_record","form":"V","reported_date":5}`)},
			store.DocWrite{ID: "odd", Fields: []byte(`{"type":7,"phone":["x"]}`)})
		cases := []struct {
			name string
			q    store.DocQuery
			want string
		}{
			{"ByPhone", store.DocQuery{Phone: "+1555"}, "p1,p2"},
			{"ByParent", store.DocQuery{ParentID: "hc"}, "p1,p2"},
			{"ByContactType", store.DocQuery{Type: "contact", ContactType: "chw"}, "p2"},
			{"ByForm", store.DocQuery{Form: "V"}, "r1"},
			{"ByIDs", store.DocQuery{IDs: []string{"r1", "hc", "nope"}}, "hc,r1"},
			{"Paged", store.DocQuery{Limit: 2, Offset: 1}, "odd,p1"},
			{"OffsetOnly", store.DocQuery{Offset: 4}, "r1"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				docs, err := s.FindDocs(ctx(), c.q)
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, d := range docs {
					ids = append(ids, d.ID)
				}
				if got := strings.Join(ids, ","); got != c.want {
					t.Fatalf("got %s, want %s", got, c.want)
				}
			})
		}
		docs, err := s.GetDocs(ctx(), []string{"r1", "missing", "hc"})
		if err != nil || len(docs) != 2 || docs[0].ID != "r1" || docs[1].ID != "hc" {
			t.Fatalf("GetDocs order: %v %v", docs, err)
		}
	})
	t.Run("ConcurrentUpdatesOneWins", func(t *testing.T) {
		s := open(t)
		r := mustWrite(t, s, store.DocWrite{ID: "c", Fields: []byte(`{}`)})[0]
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins, conflicts := 0, 0
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				res, err := s.WriteDocs(ctx(), []store.DocWrite{{ID: "c", Rev: r.Rev, Fields: []byte(fmt.Sprintf(`{"i":%d}`, i))}})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					t.Error(err)
				case res[0].Err == nil:
					wins++
				case errors.Is(res[0].Err, store.ErrConflict):
					conflicts++
				}
			}(i)
		}
		wg.Wait()
		if wins != 1 || conflicts != 7 {
			t.Fatalf("wins %d conflicts %d", wins, conflicts)
		}
	})
}

func testDocChanges(t *testing.T, open Opener) {
	s := open(t)
	r1 := mustWrite(t, s, store.DocWrite{ID: "a", Fields: []byte(`{}`)})[0]
	mustWrite(t, s, store.DocWrite{ID: "b", Fields: []byte(`{}`)}, store.DocWrite{ID: "a", Fields: []byte(`{}`)}) // second conflicts
	r3 := mustWrite(t, s, store.DocWrite{ID: "a", Rev: r1.Rev, Fields: []byte(`{"x":1}`)})[0]
	ch, err := s.ReadDocChanges(ctx(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch) != 3 || ch[0].DocID != "a" || ch[1].DocID != "b" || ch[2].Rev != r3.Rev {
		t.Fatalf("changes %+v", ch)
	}
	if err := s.DeleteDocChanges(ctx(), []int64{ch[0].Seq, ch[2].Seq}); err != nil {
		t.Fatal(err)
	}
	ch, _ = s.ReadDocChanges(ctx(), 0, 10)
	if len(ch) != 1 || ch[0].DocID != "b" {
		t.Fatalf("after delete %+v", ch)
	}
	if ch, _ := s.ReadDocChanges(ctx(), ch[0].Seq, 10); len(ch) != 0 {
		t.Fatalf("after cursor %+v", ch)
	}
}
