package router_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"careflow/engine"
	_ "careflow/engine/builtin"
	"careflow/engine/enginetest"
	"careflow/expr"
)

// randomFlow routes at random between three categories, result "pick", then saves rand() and
// rand_between(1, 6) as results, so one session shows three draws in order.
const randomFlow = `{"flows": [{"uuid": "5a3b4c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d", "name": "Dice", "spec_version": "14.4.2",
 "language": "eng", "type": "messaging", "nodes": [
 {"uuid": "e5a0c3f4-9a2b-4d7e-8f1c-2b3a4c5d6e7f", "router": {"type": "random", "result_name": "Pick", "categories": [
   {"uuid": "0a1b2c3d-0000-4000-8000-000000000001", "name": "A", "exit_uuid": "0a1b2c3d-0000-4000-8000-00000000000a"},
   {"uuid": "0a1b2c3d-0000-4000-8000-000000000002", "name": "B", "exit_uuid": "0a1b2c3d-0000-4000-8000-00000000000b"},
   {"uuid": "0a1b2c3d-0000-4000-8000-000000000003", "name": "C", "exit_uuid": "0a1b2c3d-0000-4000-8000-00000000000c"}]},
  "exits": [{"uuid": "0a1b2c3d-0000-4000-8000-00000000000a", "destination_uuid": "f6b1d4e5-0b3c-4e8f-9a2d-3c4b5d6e7f80"},
   {"uuid": "0a1b2c3d-0000-4000-8000-00000000000b", "destination_uuid": "f6b1d4e5-0b3c-4e8f-9a2d-3c4b5d6e7f80"},
   {"uuid": "0a1b2c3d-0000-4000-8000-00000000000c", "destination_uuid": "f6b1d4e5-0b3c-4e8f-9a2d-3c4b5d6e7f80"}]},
 {"uuid": "f6b1d4e5-0b3c-4e8f-9a2d-3c4b5d6e7f80", "actions": [
  {"type": "set_run_result", "uuid": "9c1e2d3f-1111-4a2b-8c3d-4e5f6a7b8c9d", "name": "Rand", "value": "@(rand())"},
  {"type": "set_run_result", "uuid": "9c1e2d3f-2222-4a2b-8c3d-4e5f6a7b8c9d", "name": "Die", "value": "@(rand_between(1, 6))"}],
  "exits": [{"uuid": "7d8e9f0a-3333-4b4c-8d5e-6f7a8b9c0d1e"}]}]}]}`

// fixedRandom answers Float64 from a list.
type fixedRandom struct{ draws []float64 }

func (f *fixedRandom) Float64() float64 { x := f.draws[0]; f.draws = f.draws[1:]; return x }
func (f *fixedRandom) IntN(n int) int   { return int(f.Float64() * float64(n)) }

func runDice(t *testing.T, random engine.Random) map[string]*engine.Result {
	t.Helper()
	assets, err := engine.ReadAssets([]byte(randomFlow))
	if err != nil {
		t.Fatal(err)
	}
	f, err := assets.Flow(assets.FlowUUIDs()[0])
	if err != nil {
		t.Fatal(err)
	}
	eng := enginetest.NewEngine(enginetest.Config{})
	if random != nil {
		eng.Random = random
	}
	contact := &engine.Contact{UUID: "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3", Status: engine.StatusActive, Fields: map[string]*engine.FieldValue{}}
	trigger := &engine.Trigger{Type: "manual", Flow: f.Reference(false), TriggeredOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	session, _, err := eng.Start(assets, expr.NewEnvironment(nil), contact, trigger, nil)
	if err != nil {
		t.Fatal(err)
	}
	return session.Runs[0].Results
}

// TestRandomConsumesSeededStream: the router, rand() and rand_between() each take exactly one
// Float64 from the session's PCG stream (seed 123456), in the order the flow runs them, so a
// seeded session routes as the reference's does.
func TestRandomConsumesSeededStream(t *testing.T) {
	pcg := rand.New(rand.NewPCG(123456, 123456))
	d1, d2, d3 := pcg.Float64(), pcg.Float64(), pcg.Float64()
	results := runDice(t, nil)
	if got, want := results["pick"].Category, []string{"A", "B", "C"}[int(d1*3)]; got != want {
		t.Errorf("pick %s, want %s (draw %v)", got, want, d1)
	}
	if got, want := results["pick"].Input, strconv.FormatFloat(d1, 'f', -1, 64); got != want {
		t.Errorf("pick input %s, want %s", got, want)
	}
	if got, want := results["rand"].Value, strconv.FormatFloat(d2, 'f', -1, 64); got != want {
		t.Errorf("rand() %s, want %s", got, want)
	}
	if got, want := results["die"].Value, strconv.Itoa(int(d3*6)+1); got != want {
		t.Errorf("rand_between(1, 6) %s, want %s", got, want)
	}
}

// TestRandomRoutesInDecimal: a draw just under 1/3 times three categories is 0.99…9 in the
// reference's decimal arithmetic (category A), though the float product rounds to 1.0 (B).
func TestRandomRoutesInDecimal(t *testing.T) {
	third := 1.0 / 3
	if int(third*3) != 1 {
		t.Fatalf("float product no longer rounds up; the case is moot")
	}
	results := runDice(t, &fixedRandom{draws: []float64{third, 0.5, 0.5}})
	if got := results["pick"].Category; got != "A" {
		t.Errorf("pick %s, want A", got)
	}
	if got := results["pick"].Input; got != "0.3333333333333333" {
		t.Errorf("pick input %s, want 0.3333333333333333", got)
	}
}
