package web

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"careflow/flow"
	"careflow/store"
)

// activityScan bounds how many of a flow's most recent runs the activity counts read.
const activityScan = 20000

// segmentExits maps "from node → to node" to the exit taken, so paths (which record nodes
// only) give RapidPro's "<exit>:<destination>" segment keys.
func segmentExits(def json.RawMessage) map[[2]string]string {
	out := map[[2]string]string{}
	fl, err := flow.Read(def)
	if err != nil {
		return out
	}
	for _, n := range fl.Nodes {
		for _, e := range n.Exits {
			k := [2]string{string(n.UUID), string(e.DestinationUUID)}
			if _, dup := out[k]; !dup && e.DestinationUUID != "" {
				out[k] = string(e.UUID)
			}
		}
	}
	return out
}

type pathStep struct {
	NodeUUID  string    `json:"node_uuid"`
	ArrivedOn time.Time `json:"arrived_on"`
}

// eachRun calls fn with the flow's runs, newest first, up to activityScan.
func (w *Web) eachRun(ctx context.Context, wsID int64, flowUUID string, fn func(*store.Run) bool) error {
	before, seen := "", 0
	for seen < activityScan {
		runs, err := w.cfg.Store.ListRuns(ctx, wsID, store.RunQuery{FlowUUID: flowUUID, BeforeID: before, Limit: 1000})
		if err != nil {
			return err
		}
		for _, r := range runs {
			if !fn(r) {
				return nil
			}
		}
		seen += len(runs)
		if len(runs) < 1000 {
			return nil
		}
		before = runs[len(runs)-1].UUID
	}
	return nil
}

// activity answers the editor's poll: contacts at each node (runs waiting or active there) and
// how many runs took each segment, from the stored runs.
func (w *Web) activity(rw http.ResponseWriter, r *http.Request) {
	ws, f, ok := w.flowOf(rw, r)
	if !ok {
		return
	}
	exits := segmentExits(f.Definition)
	nodes, segments := map[string]int{}, map[string]int{}
	err := w.eachRun(r.Context(), ws.ID, f.UUID, func(run *store.Run) bool {
		var path []pathStep
		if json.Unmarshal(run.Path, &path) != nil || len(path) == 0 {
			return true
		}
		if run.Status == "waiting" || run.Status == "active" {
			nodes[path[len(path)-1].NodeUUID]++
		}
		for i := 1; i < len(path); i++ {
			if exit, ok := exits[[2]string{path[i-1].NodeUUID, path[i].NodeUUID}]; ok {
				segments[exit+":"+path[i].NodeUUID]++
			}
		}
		return true
	})
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	writeJSON(rw, http.StatusOK, map[string]any{"nodes": nodes, "segments": segments, "is_starting": false})
}

// recentContacts answers who last took a segment and with what input (the latest 10).
func (w *Web) recentContacts(rw http.ResponseWriter, r *http.Request) {
	ws, f, ok := w.flowOf(rw, r)
	if !ok {
		return
	}
	exit, dest := r.PathValue("exit"), r.PathValue("dest")
	exits := segmentExits(f.Definition)
	type recent struct {
		Contact map[string]string `json:"contact"`
		Operand string            `json:"operand"`
		Time    time.Time         `json:"time"`
	}
	out := []recent{}
	var ids []int64
	err := w.eachRun(r.Context(), ws.ID, f.UUID, func(run *store.Run) bool {
		var path []pathStep
		if json.Unmarshal(run.Path, &path) != nil {
			return true
		}
		for i := len(path) - 1; i > 0; i-- {
			if path[i].NodeUUID != dest || exits[[2]string{path[i-1].NodeUUID, dest}] != exit {
				continue
			}
			out = append(out, recent{Operand: operandAt(run.Results, path[i-1].NodeUUID), Time: path[i].ArrivedOn,
				Contact: map[string]string{"uuid": ""}})
			ids = append(ids, run.ContactID)
			break
		}
		return len(out) < 10
	})
	if err == nil && len(ids) > 0 {
		var contacts []*store.Contact
		contacts, err = w.cfg.Store.GetContacts(r.Context(), ws.ID, ids)
		byID := map[int64]*store.Contact{}
		for _, c := range contacts {
			byID[c.ID] = c
		}
		for i, id := range ids {
			if c := byID[id]; c != nil {
				out[i].Contact = map[string]string{"uuid": c.UUID, "name": c.Name}
			}
		}
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	writeJSON(rw, http.StatusOK, out)
}

// operandAt is the input a node's router saw, from the result it saved.
func operandAt(results json.RawMessage, node string) string {
	var m map[string]struct {
		NodeUUID string `json:"node_uuid"`
		Input    string `json:"input"`
		Value    string `json:"value"`
	}
	if json.Unmarshal(results, &m) != nil {
		return ""
	}
	for _, res := range m {
		if res.NodeUUID == node {
			if res.Input != "" {
				return res.Input
			}
			return res.Value
		}
	}
	return ""
}
