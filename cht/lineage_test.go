package cht

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"careflow/store"
	"careflow/store/storetest"
)

func TestByPhoneHydration(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	docs := NewDocs(st)
	settings := NewSettings(st)
	if _, err := settings.Update(ctx, []byte(`{"default_country_code":254}`), MergeDeep); err != nil {
		t.Fatal(err)
	}
	var writes []store.DocWrite
	for _, d := range []string{
		`{"_id":"clinic","type":"clinic","name":"Clinic","parent":{"_id":"gone","parent":{"_id":"dh"}},"contact":{"_id":"chw","parent":{"_id":"clinic"}}}`,
		`{"_id":"dh","type":"district_hospital","name":"District"}`,
		`{"_id":"chw","type":"person","name":"CHW","phone":"+254712345678","parent":{"_id":"clinic","parent":{"_id":"gone","parent":{"_id":"dh"}}},"linked_docs":{"aunt":"kin","lost":"nobody"}}`,
		`{"_id":"kin","type":"person","name":"Kin","parent":{"_id":"clinic"}}`,
		`{"_id":"report","type":"data_record","phone":"+254712345678"}`,
	} {
		w, err := store.SplitDoc([]byte(d))
		if err != nil {
			t.Fatal(err)
		}
		writes = append(writes, w)
	}
	if _, err := docs.Write(ctx, writes); err != nil {
		t.Fatal(err)
	}
	c := NewContacts(docs, settings)
	got, err := c.ByPhone(ctx, "0712345678")
	if err != nil || len(got) != 1 {
		t.Fatalf("ByPhone: %d docs, %v", len(got), err)
	}
	var doc map[string]any
	json.Unmarshal(got[0], &doc)
	stripRev(doc)
	b, _ := json.Marshal(doc)
	want := `{"_id":"chw","linked_docs":{"aunt":{"_id":"kin","name":"Kin","parent":{"_id":"clinic"},"type":"person"},"lost":"nobody"},` +
		`"name":"CHW","parent":{"_id":"clinic","contact":{"_id":"chw","linked_docs":{"aunt":"kin","lost":"nobody"},"name":"CHW",` +
		`"parent":{"_id":"clinic","parent":{"_id":"gone","parent":{"_id":"dh"}}},"phone":"+254712345678","type":"person"},"name":"Clinic",` +
		`"parent":{"_id":"gone","parent":{"_id":"dh","name":"District","type":"district_hospital"}},"type":"clinic"},"phone":"+254712345678","type":"person"}`
	if string(b) != want {
		t.Fatalf("hydrated\n got  %s\n want %s", b, want)
	}
	for _, phone := range []string{"", "not a phone"} {
		if _, err := c.ByPhone(ctx, phone); err != ErrBadPhone {
			t.Fatalf("ByPhone(%q) = %v", phone, err)
		}
	}
	if _, err := c.ByPhone(ctx, "+254712000000"); err != ErrNoMatches {
		t.Fatalf("no match: %v", err)
	}
	if !strings.Contains(string(got[0]), `"_rev":"1-`) {
		t.Fatalf("hydrated docs keep their _rev: %s", got[0])
	}
}

func stripRev(v any) {
	switch t := v.(type) {
	case map[string]any:
		delete(t, "_rev")
		for _, x := range t {
			stripRev(x)
		}
	case []any:
		for _, x := range t {
			stripRev(x)
		}
	}
}
