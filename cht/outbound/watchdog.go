package outbound

import (
	"runtime/metrics"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// The watchdog interrupts evaluations that run too long or allocate too much. goja checks for
// interrupts between instructions, so one goroutine polling every millisecond while any
// evaluation runs is enough; evaluations that finish sooner never meet it.
var dog = struct {
	sync.Mutex
	active  map[*watch]struct{}
	wake    chan struct{}
	started bool
}{active: map[*watch]struct{}{}, wake: make(chan struct{}, 1)}

type watch struct {
	rt         *goja.Runtime
	deadline   time.Time
	limit      time.Duration
	maxAlloc   uint64
	allocStart uint64
	seen       bool
	fired      bool
}

func watchdogFor(rt *goja.Runtime, timeout time.Duration, maxAlloc uint64) *watch {
	w := &watch{rt: rt, deadline: time.Now().Add(timeout), limit: timeout, maxAlloc: maxAlloc}
	dog.Lock()
	dog.active[w] = struct{}{}
	if !dog.started {
		dog.started = true
		go watchLoop()
	}
	dog.Unlock()
	select {
	case dog.wake <- struct{}{}:
	default:
	}
	return w
}

// done unregisters the evaluation; after it returns the watchdog no longer touches the runtime.
func (w *watch) done() {
	dog.Lock()
	delete(dog.active, w)
	fired := w.fired
	dog.Unlock()
	if fired {
		w.rt.ClearInterrupt()
	}
}

func watchLoop() {
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		dog.Lock()
		n := len(dog.active)
		dog.Unlock()
		if n == 0 {
			<-dog.wake
			continue
		}
		<-t.C
		metrics.Read(sample)
		var allocs uint64
		if sample[0].Value.Kind() == metrics.KindUint64 {
			allocs = sample[0].Value.Uint64()
		}
		now := time.Now()
		dog.Lock()
		for w := range dog.active {
			if w.fired {
				continue
			}
			if !w.seen {
				w.seen, w.allocStart = true, allocs
			}
			switch {
			case now.After(w.deadline):
				w.fired = true
				w.rt.Interrupt(&interrupted{reason: "took longer than " + w.limit.String(), time: true})
			case w.maxAlloc > 0 && allocs-w.allocStart > w.maxAlloc:
				w.fired = true
				w.rt.Interrupt(&interrupted{reason: "allocated more than the memory limit"})
			}
		}
		dog.Unlock()
	}
}
