package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/expr"
	"careflow/flow"
)

// `careflow bench engine` runs a flow for N new contacts through careflow's engine and prints
// one JSON line with the same keys as the reference engine's goflow-peer, so both can be run
// back to back on one machine and compared.
func init() {
	registerBench("engine", "flow engine sessions/s: -assets FILE -flow UUID -n N -inputs \"a,b\" [-persist]", runBenchEngine)
}

// wallClock is the real clock (the engine itself never reads time).
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

// fastUUIDs makes random v4 and time-ordered v7 UUIDs from the runtime's per-thread ChaCha8
// random source (math/rand/v2's top-level functions, safe for concurrent use without a lock).
type fastUUIDs struct{}

func newFastUUIDs() *fastUUIDs { return &fastUUIDs{} }

func (g *fastUUIDs) fill() [16]byte {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[0:8], mrand.Uint64())
	binary.LittleEndian.PutUint64(b[8:16], mrand.Uint64())
	return b
}

func (g *fastUUIDs) NewV4() string {
	b := g.fill()
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return engine.FormatUUID(b)
}

func (g *fastUUIDs) NewV7() string {
	b := g.fill()
	ms := uint64(time.Now().UnixMilli())
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	return engine.FormatUUID(b)
}

// lockedRandom is a random stream safe for concurrent use.
type lockedRandom struct {
	mu  sync.Mutex
	rng *mrand.Rand
}

func (r *lockedRandom) Float64() float64 { r.mu.Lock(); defer r.mu.Unlock(); return r.rng.Float64() }
func (r *lockedRandom) IntN(n int) int   { r.mu.Lock(); defer r.mu.Unlock(); return r.rng.IntN(n) }

func runBenchEngine(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench engine", flag.ContinueOnError)
	fs.SetOutput(stderr)
	assetsPath := fs.String("assets", "", "assets JSON file with a flows array (a RapidPro export works)")
	flowID := fs.String("flow", "", "UUID of the flow to start (default: the first flow)")
	n := fs.Int("n", 10000, "number of sessions (one new contact each)")
	inputs := fs.String("inputs", "", "comma-separated replies, each resumes a waiting session once")
	persist := fs.Bool("persist", false, "write the session and contact to JSON after every sprint and read them back before resuming, as the runtime does")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	memProfile := fs.String("memprofile", "", "write an allocation profile of the run to this file")
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	raw, err := os.ReadFile(*assetsPath)
	if err != nil {
		return err
	}
	assets, err := engine.ReadAssets(raw)
	if err != nil {
		return err
	}
	if *flowID == "" {
		ids := assets.FlowUUIDs()
		if len(ids) == 0 {
			return fmt.Errorf("no flows in %s", *assetsPath)
		}
		*flowID = string(ids[0])
	}
	f, err := assets.Flow(flow.UUID(*flowID))
	if err != nil {
		return err
	}
	var replies []string
	if *inputs != "" {
		replies = strings.Split(*inputs, ",")
	}
	env := expr.NewEnvironment(nil)
	eng := engine.New(engine.Services{Clock: wallClock{}, UUIDs: newFastUUIDs(),
		Random: &lockedRandom{rng: mrand.New(mrand.NewPCG(1, 2))}}, engine.Options{})
	trigger := &engine.Trigger{Type: "manual", Flow: f.Reference(false), TriggeredOn: time.Now()}

	if *cpuProfile != "" {
		pf, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	events, waiting, completed := 0, 0, 0
	start := time.Now()
	for i := 0; i < *n; i++ {
		if i%1000 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		urn := fmt.Sprintf("tel:+2507%08d", i)
		contact := &engine.Contact{UUID: eng.UUIDs.NewV4(), Name: fmt.Sprintf("Contact %d", i), Language: "eng",
			Status: engine.StatusActive, CreatedOn: time.Now(), URNs: []*engine.URN{{Scheme: "tel", Path: urn[4:]}},
			Fields: map[string]*engine.FieldValue{}}
		session, sprint, err := eng.Start(assets, env, contact, trigger, nil)
		if err != nil {
			return err
		}
		events += len(sprint.Events)
		for _, text := range replies {
			if session.Status != engine.SessionWaiting {
				break
			}
			if *persist {
				if session, contact, err = roundTrip(eng, assets, env, session, contact); err != nil {
					return err
				}
			}
			now := time.Now()
			msg := &event.MsgReceived{Base: event.Base{UUID: eng.UUIDs.NewV7(), EventType: event.TypeMsgReceived, CreatedOn: now},
				Msg: &event.MsgIn{URN: urn, Text: text}}
			sprint, err = session.ResumeWith(&engine.Resume{Type: "msg", ResumedOn: now, Parsed: msg})
			if err != nil {
				return err
			}
			events += len(sprint.Events)
		}
		if *persist {
			if _, err := session.MarshalJSON(); err != nil {
				return err
			}
			if _, err := contact.MarshalJSON(); err != nil {
				return err
			}
		}
		switch session.Status {
		case engine.SessionWaiting:
			waiting++
		case engine.SessionCompleted:
			completed++
		}
	}
	secs := time.Since(start).Seconds()
	if err := writeAllocProfile(*memProfile); err != nil {
		return err
	}
	out, _ := json.Marshal(map[string]any{
		"engine": "careflow", "sessions": *n, "replies": len(replies), "persist": *persist,
		"events": events, "waiting": waiting, "completed": completed,
		"seconds": secs, "sessions_per_sec": float64(*n) / secs,
	})
	fmt.Fprintln(stdout, string(out))
	return nil
}

// roundTrip stores the session and contact as JSON and reads them back.
func roundTrip(eng *engine.Engine, assets *engine.Assets, env *expr.Environment, s *engine.Session, c *engine.Contact) (*engine.Session, *engine.Contact, error) {
	sb, err := s.MarshalJSON()
	if err != nil {
		return nil, nil, err
	}
	cb, err := c.MarshalJSON()
	if err != nil {
		return nil, nil, err
	}
	c2, err := engine.ReadContact(cb, assets)
	if err != nil {
		return nil, nil, err
	}
	s2, err := eng.ReadSession(sb, assets, env, c2, nil)
	if err != nil {
		return nil, nil, err
	}
	return s2, c2, nil
}
