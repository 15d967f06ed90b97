package outbound

import (
	"context"
	"testing"
	"time"

	"careflow/store"
)

const time1 = time.Second

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type docMap map[string]string

func (m docMap) GetDocs(_ context.Context, ids []string) ([]store.Doc, error) {
	var out []store.Doc
	for _, id := range ids {
		if f, ok := m[id]; ok {
			out = append(out, store.Doc{ID: id, Rev: "1-a", Fields: []byte(f)})
		}
	}
	return out, nil
}

func TestLineageHydrator(t *testing.T) {
	docs := docMap{
		"chw":    `{"type":"person","name":"Jane","parent":{"_id":"clinic","parent":{"_id":"hc"}}}`,
		"clinic": `{"type":"clinic","name":"Clinic A","contact":{"_id":"chw"},"parent":{"_id":"hc"}}`,
		"hc":     `{"type":"health_center","name":"HC"}`,
		"pat":    `{"type":"person","name":"Pat","parent":{"_id":"clinic","parent":{"_id":"hc"}}}`,
	}
	h := LineageHydrator{Docs: docs}
	report := store.Doc{ID: "r1", Rev: "1-b", Fields: []byte(`{"type":"data_record","form":"F","fields":{"patient_uuid":"pat"},"contact":{"_id":"chw","parent":{"_id":"clinic","parent":{"_id":"hc"}}}}`)}
	b, err := h.Hydrate(context.Background(), report)
	if err != nil {
		t.Fatal(err)
	}
	v := b
	for path, want := range map[string]Value{
		"contact.name":                "Jane",
		"contact.parent.name":         "Clinic A",
		"contact.parent.contact.name": "Jane",
		"contact.parent.parent.name":  "HC",
		"patient.name":                "Pat",
		"patient.parent.parent.name":  "HC",
		"_rev":                        "1-b",
	} {
		if got, _ := PathGet(v, path); got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
	// A missing ancestor stays minified.
	orphan := store.Doc{ID: "c9", Fields: []byte(`{"type":"person","parent":{"_id":"gone","parent":{"_id":"hc"}}}`)}
	b, _ = h.Hydrate(context.Background(), orphan)
	v = b
	if got, _ := PathGet(v, "parent.parent.name"); got != "HC" {
		t.Errorf("chain past a missing ancestor: %s", Stringify(b))
	}
}
