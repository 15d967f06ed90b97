package cht

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"careflow/store/storetest"
)

func TestSettingsUpdate(t *testing.T) {
	ctx := context.Background()
	s := NewSettings(storetest.OpenSQLite(t))
	if m, _ := s.Get(ctx); len(m) != 0 {
		t.Fatalf("empty settings: %v", m)
	}
	steps := []struct {
		name        string
		body        string
		mode        MergeMode
		wantUpdated bool
		want        string
	}{
		{"FirstSave", `{"a":{"x":1,"y":[1,2]},"b":1}`, MergeDeep, true, `{"a":{"x":1,"y":[1,2]},"b":1}`},
		{"DeepMergesObjectsReplacesArrays", `{"a":{"y":[3],"z":2}}`, MergeDeep, true, `{"a":{"x":1,"y":[3],"z":2},"b":1}`},
		{"ShallowReplacesTopLevelKeys", `{"a":{"q":1}}`, MergeShallow, true, `{"a":{"q":1},"b":1}`},
		{"SameAgainIsNotAnUpdate", `{"a":{"q":1}}`, MergeShallow, false, `{"a":{"q":1},"b":1}`},
		{"OverwriteReplacesAll", `{"c":true}`, MergeOverwrite, true, `{"c":true}`},
	}
	for _, st := range steps {
		updated, err := s.Update(ctx, []byte(st.body), st.mode)
		if err != nil || updated != st.wantUpdated {
			t.Fatalf("%s: updated %v err %v", st.name, updated, err)
		}
		raw, _ := s.Raw(ctx)
		if string(raw) != st.want {
			t.Fatalf("%s: got %s want %s", st.name, raw, st.want)
		}
	}
	s.AddValidator(func(ctx context.Context, m map[string]any) error {
		if _, bad := m["bad"]; bad {
			return &InvalidSettingsError{Msg: "bad is not allowed"}
		}
		return nil
	})
	var changed map[string]any
	s.OnChange(func(m map[string]any) { changed = m })
	var invalid *InvalidSettingsError
	if _, err := s.Update(ctx, []byte(`{"bad":1}`), MergeDeep); !errors.As(err, &invalid) {
		t.Fatalf("validator did not reject: %v", err)
	}
	if _, err := s.Update(ctx, []byte(`[1]`), MergeDeep); !errors.As(err, &invalid) {
		t.Fatalf("array accepted: %v", err)
	}
	raw, _ := s.Raw(ctx)
	if string(raw) != `{"c":true}` || changed != nil {
		t.Fatalf("rejected update changed something: %s %v", raw, changed)
	}
	s.Update(ctx, []byte(`{"n":1.50}`), MergeDeep)
	if b, _ := json.Marshal(changed); string(b) != `{"c":true,"n":1.50}` {
		t.Fatalf("listener got %s", b)
	}
}

func TestSettingsKeepKeyOrder(t *testing.T) {
	ctx := context.Background()
	s := NewSettings(storetest.OpenSQLite(t))
	s.AddFiller(func(m map[string]any) {
		if _, ok := m["permissions"]; !ok {
			m["permissions"] = map[string]any{"b": []any{"x"}, "a": []any{"y"}}
		}
	})
	s.Update(ctx, []byte(`{"forms":{"V":{"fields":{"zeta":{"type":"string"},"alpha":{"type":"integer"}}}},"locale":"en"}`), MergeDeep)
	s.Update(ctx, []byte(`{"forms":{"V":{"fields":{"mid":{"type":"string"},"zeta":{"type":"date"}}}},"aaa":1}`), MergeDeep)
	raw, _ := s.Raw(ctx)
	want := `{"forms":{"V":{"fields":{"zeta":{"type":"date"},"alpha":{"type":"integer"},"mid":{"type":"string"}}}},"locale":"en","permissions":{"a":["y"],"b":["x"]},"aaa":1}`
	if string(raw) != want {
		t.Fatalf("got  %s\nwant %s", raw, want)
	}
}

func TestSettingsSeeOtherNodesWithinTTL(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	a, b := NewSettings(st), NewSettings(st)
	now := time.Unix(1000, 0)
	b.Now = func() time.Time { return now }
	a.Update(ctx, []byte(`{"v":1}`), MergeDeep)
	if m, _ := b.Get(ctx); m["v"] == nil {
		t.Fatal("b did not read the stored settings")
	}
	a.Update(ctx, []byte(`{"v":2}`), MergeDeep)
	if m, _ := b.Get(ctx); string(m["v"].(json.Number)) != "1" {
		t.Fatalf("b re-read within the TTL: %v", m["v"])
	}
	now = now.Add(SettingsTTL)
	if m, _ := b.Get(ctx); string(m["v"].(json.Number)) != "2" {
		t.Fatalf("b missed the change after the TTL: %v", m["v"])
	}
}
