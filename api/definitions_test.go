package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"careflow/api"
	"careflow/internal/sharedpath"
	. "careflow/internal/testserver"
	"careflow/store"
)

// TestImportExportRoundTrip: every flow file of goflow's runner fixtures is uploaded to
// definitions.json, exported back with GET definitions.json, and the export uploaded into a
// fresh workspace: the second export has the same flow definitions as the first.
func TestImportExportRoundTrip(t *testing.T) {
	dir, err := sharedpath.Path("conformance", "goflow", "runner")
	if err != nil {
		t.Skip(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		n := 0
		for _, path := range names {
			if strings.Contains(filepath.Base(path), ".test") {
				continue
			}
			var assets map[string]json.RawMessage
			data, _ := os.ReadFile(path)
			if json.Unmarshal(data, &assets) != nil || assets["flows"] == nil {
				continue
			}
			name := strings.TrimSuffix(filepath.Base(path), ".json")
			t.Run(name, func(t *testing.T) {
				file := map[string]json.RawMessage{"version": json.RawMessage(`"13"`), "site": json.RawMessage(`""`), "flows": assets["flows"]}
				for _, k := range []string{"fields", "groups"} {
					if assets[k] != nil {
						file[k] = assets[k]
					}
				}
				up, _ := json.Marshal(file)
				a := workspaceClient(t, s, name+" a")
				res := obj(a.expect("POST", "/api/v2/definitions.json", string(up), 200, nil))
				first := exportFlows(t, a, res)
				if len(first) != len(list(res["flow_uuids"])) || len(first) == 0 {
					t.Fatalf("exported %d flows of %v", len(first), res)
				}
				_, _, whole := a.do("GET", "/api/v2/definitions.json?"+flowParams(res), nil)
				again, _ := json.Marshal(whole)
				b := workspaceClient(t, s, name+" b")
				res2 := obj(b.expect("POST", "/api/v2/definitions.json", string(again), 200, nil))
				second := exportFlows(t, b, res2)
				for uuid, def := range first {
					if !bytes.Equal(def, second[uuid]) {
						t.Fatalf("flow %s differs after the round trip:\n%s\n%s", uuid, def, second[uuid])
					}
				}
			})
			n++
		}
		if n < 25 {
			t.Fatalf("round-tripped %d files", n)
		}
	})
}

// workspaceClient makes a new workspace and a client with a token for it.
func workspaceClient(t *testing.T, s *Server, name string) *client {
	ws := &store.Workspace{Name: name, Timezone: "UTC"}
	if err := s.Srv.Runtime.CreateWorkspace(context.Background(), ws); err != nil {
		t.Fatal(err)
	}
	key, err := api.CreateToken(context.Background(), s.Srv.Store.(api.Store), ws.ID, "admin", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, s: s, token: key}
}

func flowParams(res map[string]any) string {
	var ps []string
	for _, u := range list(res["flow_uuids"]) {
		ps = append(ps, "flow="+u.(string))
	}
	sort.Strings(ps)
	return strings.Join(ps, "&")
}

// exportFlows exports the imported flows and returns their definitions by UUID.
func exportFlows(t *testing.T, c *client, res map[string]any) map[string][]byte {
	t.Helper()
	out := obj(c.expect("GET", "/api/v2/definitions.json?dependencies=none&"+flowParams(res), nil, 200, nil))
	if out["version"] != "13" {
		t.Fatalf("export version %v", out["version"])
	}
	defs := map[string][]byte{}
	for _, f := range list(out["flows"]) {
		b, _ := json.Marshal(f)
		defs[obj(f)["uuid"].(string)] = b
	}
	return defs
}
