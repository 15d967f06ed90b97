package web

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"time"

	"careflow/engine"
	"careflow/runtime/services"
	"careflow/store"
)

// The simulator runs the flow being edited on the engine with the workspace's assets,
// environment and services (webhooks really called under the workspace's address policy,
// marked as simulation), and stores nothing: the session travels to the editor and back.

// simChannel is the phone the simulator's contact talks through, as RapidPro's.
var simChannel = map[string]any{"uuid": "440099cf-200c-4d45-a8e7-4a564f4a0e8b", "name": "Simulator",
	"address": "+18005551212", "schemes": []string{"tel"}, "roles": []string{"send", "receive", "call", "answer"}}

type simRequest struct {
	Flow    json.RawMessage `json:"flow"`
	Contact json.RawMessage `json:"contact"`
	Trigger json.RawMessage `json:"trigger"`
	Session json.RawMessage `json:"session"`
	Resume  json.RawMessage `json:"resume"`
}

func (w *Web) simulate(rw http.ResponseWriter, r *http.Request) {
	ws, f, ok := w.flowOf(rw, r)
	if !ok {
		return
	}
	body, err := readBody(rw, r, 8<<20)
	if err != nil {
		jsonError(rw, http.StatusBadRequest, err.Error())
		return
	}
	var req simRequest
	if err := json.Unmarshal(body, &req); err != nil {
		jsonError(rw, http.StatusBadRequest, "request is not a JSON object: "+err.Error())
		return
	}
	if len(req.Contact) == 0 {
		jsonError(rw, http.StatusBadRequest, "field 'contact' is required")
		return
	}
	view, err := w.cfg.Runtime.Workspace(r.Context(), ws.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	assets, err := simAssets(view.Flows, view.Assets, f.UUID, req.Flow)
	if err != nil {
		jsonError(rw, http.StatusBadRequest, err.Error())
		return
	}
	svc := engine.Services{}
	if w.cfg.SimulationServices != nil {
		svc = w.cfg.SimulationServices(ws)
	}
	svc.Clock, svc.UUIDs, svc.Random = wallClock{}, simUUIDs{}, simRandom{}
	eng := engine.New(svc, engine.Options{Prompts: services.Prompts()})
	contact, err := engine.ReadContact(req.Contact, assets)
	if err != nil {
		jsonError(rw, http.StatusBadRequest, "invalid contact: "+err.Error())
		return
	}
	var session *engine.Session
	var sprint *engine.Sprint
	switch {
	case len(req.Resume) > 0:
		if len(req.Session) == 0 {
			jsonError(rw, http.StatusBadRequest, "field 'session' is required to resume")
			return
		}
		if session, err = eng.ReadSession(req.Session, assets, view.Env, contact, nil); err != nil {
			jsonError(rw, http.StatusBadRequest, "invalid session: "+err.Error())
			return
		}
		resume, err := engine.ReadResume(req.Resume)
		if err != nil {
			jsonError(rw, http.StatusBadRequest, "invalid resume: "+err.Error())
			return
		}
		if sprint, err = runSprint(r.Context(), func() (*engine.Sprint, error) { return session.ResumeWith(resume) }); err != nil {
			jsonError(rw, http.StatusBadRequest, err.Error())
			return
		}
	case len(req.Trigger) > 0:
		trigger, err := engine.ReadTrigger(req.Trigger, assets)
		if err != nil {
			jsonError(rw, http.StatusBadRequest, "invalid trigger: "+err.Error())
			return
		}
		if sprint, err = runSprint(r.Context(), func() (*engine.Sprint, error) {
			var err error
			var sp *engine.Sprint
			session, sp, err = eng.Start(assets, view.Env, contact, trigger, nil)
			return sp, err
		}); err != nil {
			jsonError(rw, http.StatusBadRequest, err.Error())
			return
		}
	default:
		jsonError(rw, http.StatusBadRequest, "give a trigger to start or a session and resume to resume")
		return
	}
	out := map[string]any{"session": sessionForEditor(session), "contact": session.Contact(), "events": sprint.Events,
		"segments": sprint.Segments}
	if run := lastRun(session); run != nil {
		out["context"] = run.Context()
	}
	writeJSON(rw, http.StatusOK, out)
}

// runSprint runs the engine and turns a panic in flow content into an error answer.
func runSprint(_ context.Context, fn func() (*engine.Sprint, error)) (sp *engine.Sprint, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the simulation failed: %v", p)
		}
	}()
	return fn()
}

func lastRun(s *engine.Session) *engine.Run {
	if run := s.WaitingRun(); run != nil {
		return run
	}
	if n := len(s.Runs); n > 0 {
		return s.Runs[n-1]
	}
	return nil
}

// sessionForEditor adds flow_uuid to each run, which the React simulator reads to know the
// active flow; the engine ignores it when the session comes back.
func sessionForEditor(s *engine.Session) json.RawMessage {
	data, err := s.MarshalJSON()
	if err != nil {
		return data
	}
	var m map[string]any
	if json.Unmarshal(data, &m) != nil {
		return data
	}
	if runs, ok := m["runs"].([]any); ok {
		for _, r := range runs {
			if run, ok := r.(map[string]any); ok {
				if fl, ok := run["flow"].(map[string]any); ok {
					run["flow_uuid"] = fl["uuid"]
				}
			}
		}
	}
	out, _ := json.Marshal(m)
	return out
}

// simAssets is the workspace's assets with the flow being edited replaced by the editor's
// current definition (unsaved changes simulate too) and the simulator's channel added.
func simAssets(flows map[string]*store.Flow, a *engine.Assets, uuid string, edited json.RawMessage) (*engine.Assets, error) {
	doc := map[string]any{"fields": a.Fields, "groups": a.Groups, "globals": a.Globals, "labels": a.Labels,
		"resthooks": a.Resthooks, "topics": a.Topics, "users": a.Users, "llms": a.LLMs, "templates": a.Templates,
		"campaigns": a.Campaigns, "channels": append([]any{simChannel}, anySlice(a.Channels)...)}
	if len(a.Locations) > 0 {
		doc["locations"] = a.Locations
	}
	list := []json.RawMessage{}
	if len(edited) > 0 && string(edited) != "null" {
		var head struct {
			UUID string `json:"uuid"`
		}
		if err := json.Unmarshal(edited, &head); err != nil || head.UUID != uuid {
			return nil, fmt.Errorf("field 'flow' must be this flow's definition")
		}
		list = append(list, edited)
	}
	for u, f := range flows {
		if u != uuid || len(list) == 0 {
			list = append(list, f.Definition)
		}
	}
	doc["flows"] = list
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return engine.ReadAssets(data)
}

func anySlice[T any](in []T) []any {
	out := make([]any, len(in))
	for i, v := range in {
		out[i] = v
	}
	return out
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

type simUUIDs struct{}

func (simUUIDs) NewV4() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func (simUUIDs) NewV7() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	ms := uint64(time.Now().UnixMilli())
	for i := 0; i < 6; i++ {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6], b[8] = b[6]&0x0f|0x70, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

type simRandom struct{}

func (simRandom) Float64() float64 { return mrand.Float64() }
func (simRandom) IntN(n int) int   { return mrand.IntN(n) }
