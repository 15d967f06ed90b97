package outbound

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// Sandbox runs relevant_to and mapping expressions. Each evaluation sees the standard
// ECMAScript built-ins and one global, doc — as CHT's vm.runInNewContext(expr, {doc}) — and
// nothing of the host. Runtimes are pooled for speed; to keep evaluations from seeing each
// other, built-ins are frozen when a runtime is made and a runtime whose global object grew
// (a top-level var, an assignment to an undeclared name) is thrown away instead of reused.
// Every evaluation is interrupted after Timeout, or once the process has allocated more than
// MaxAlloc bytes while it runs.
type Sandbox struct {
	// Timeout bounds one evaluation (default 50 ms).
	Timeout time.Duration
	// MaxAlloc bounds the bytes allocated while one evaluation runs (default 64 MiB).
	MaxAlloc uint64

	// pool keeps idle runtimes. A channel rather than a sync.Pool: the garbage collector
	// empties a sync.Pool, and a runtime costs a lockdown (about a millisecond) to rebuild.
	pool  chan *jsRuntime
	once  sync.Once
	mu    sync.Mutex
	progs map[string]program
}

// program is a compiled expression and whether it could leave a global behind.
type program struct {
	p        *goja.Program
	mayTaint bool
}

// NewSandbox returns a sandbox with the default limits.
func NewSandbox() *Sandbox {
	return &Sandbox{Timeout: 50 * time.Millisecond, MaxAlloc: 64 << 20}
}

// ErrInterrupted wraps the reason an evaluation was stopped (time or memory).
var ErrInterrupted = errors.New("evaluation interrupted")

// jsError is an exception thrown by an expression; its text is what JavaScript's String(err)
// gives ("TypeError: …"), which CHT puts into its error messages.
type jsError struct{ msg string }

func (e *jsError) Error() string { return e.msg }

// Compile checks src for syntax errors without running it (settings validation uses it).
func (sb *Sandbox) Compile(src string) error {
	_, err := sb.program(src)
	return err
}

func (sb *Sandbox) program(src string) (program, error) {
	sb.mu.Lock()
	p, ok := sb.progs[src]
	sb.mu.Unlock()
	if ok {
		return p, nil
	}
	compiled, err := goja.Compile("expr", src, false)
	if err != nil {
		var se *goja.CompilerSyntaxError
		if errors.As(err, &se) {
			return p, &jsError{msg: "SyntaxError: " + se.Message}
		}
		return p, &jsError{msg: err.Error()}
	}
	p = program{p: compiled, mayTaint: mayTaint(src)}
	sb.mu.Lock()
	if sb.progs == nil || len(sb.progs) > 4096 {
		sb.progs = map[string]program{} // configs change rarely; start over if it ever grows
	}
	sb.progs[src] = p
	sb.mu.Unlock()
	return p, nil
}

// taintWords are identifiers through which an expression can declare or reach globals.
var taintWords = map[string]bool{"var": true, "let": true, "const": true, "function": true, "class": true,
	"eval": true, "Function": true, "globalThis": true, "this": true, "Object": true, "Reflect": true,
	"constructor": true, "__proto__": true, "__defineGetter__": true, "__defineSetter__": true,
	"defineProperty": true, "defineProperties": true, "assign": true}

// mayTaint reports, conservatively, whether running src could add a property to the global
// object: it declares something, assigns with '=', or names a way to reach the global object.
// Expressions that cannot skip the (comparatively slow) check of the global object after
// they run. Text inside strings can only cause false alarms, never misses.
func mayTaint(src string) bool {
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '=':
			prev, next := byte(0), byte(0)
			if i > 0 {
				prev = src[i-1]
			}
			if i+1 < len(src) {
				next = src[i+1]
			}
			if next == '=' || next == '>' {
				i++ // ==, =>: skip the second character too
				continue
			}
			if prev == '=' || prev == '!' || prev == '<' || prev == '>' {
				continue
			}
			return true
		case c == '_' || c == '$' || (c|0x20 >= 'a' && c|0x20 <= 'z'):
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '$' || (src[j]|0x20 >= 'a' && src[j]|0x20 <= 'z') || (src[j] >= '0' && src[j] <= '9')) {
				j++
			}
			if taintWords[src[i:j]] {
				return true
			}
			i = j - 1
		case c >= 0x80 || c == '\\':
			return true // unicode escapes or identifiers: do not try to be clever
		}
	}
	return false
}

// jsRuntime is one pooled runtime and the built-ins the Go side calls.
type jsRuntime struct {
	rt        *goja.Runtime
	stringify goja.Callable
	baseline  int
}

// lockdown freezes what an expression could change for the next one, and caps the built-ins
// that allocate a huge result in one uninterruptible step.
const lockdown = `(function (g) {
  var max = 16777216;
  function guard(proto, name, check) {
    var orig = proto[name];
    Object.defineProperty(proto, name, { value: function () { check(this, arguments); return orig.apply(this, arguments); }, writable: true, configurable: true });
  }
  function strLen(s, a) { if (String(s).length * (+a[0] || 0) > max) throw new RangeError('Invalid string length'); }
  function padLen(s, a) { if ((+a[0] || 0) > max) throw new RangeError('Invalid string length'); }
  function arrLen(s) { if (s != null && s.length > max) throw new RangeError('Invalid array length'); }
  guard(String.prototype, 'repeat', strLen);
  guard(String.prototype, 'padStart', padLen);
  guard(String.prototype, 'padEnd', padLen);
  guard(Array.prototype, 'join', arrLen);
  guard(Array.prototype, 'fill', arrLen);
  var seen = new Set([g]);
  function freeze(o) {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) return;
    seen.add(o);
    Object.freeze(o);
    Object.getOwnPropertyNames(o).forEach(function (k) {
      var d = Object.getOwnPropertyDescriptor(o, k);
      if (d.get) freeze(d.get);
      if (d.set) freeze(d.set);
      if ('value' in d) freeze(d.value);
    });
    freeze(Object.getPrototypeOf(o));
  }
  Object.getOwnPropertyNames(g).forEach(function (k) {
    freeze(g[k]);
    Object.defineProperty(g, k, { writable: false, configurable: false });
  });
})(globalThis)`

func newJSRuntime() (*jsRuntime, error) {
	rt := goja.New()
	rt.SetMaxCallStackSize(2000)
	json := rt.Get("JSON").ToObject(rt)
	stringify, _ := goja.AssertFunction(json.Get("stringify"))
	if _, err := rt.RunString(lockdown); err != nil {
		return nil, fmt.Errorf("sandbox setup: %w", err)
	}
	if err := rt.GlobalObject().Set("doc", goja.Undefined()); err != nil {
		return nil, fmt.Errorf("sandbox setup: %w", err)
	}
	return &jsRuntime{rt: rt, stringify: stringify, baseline: len(rt.GlobalObject().Keys())}, nil
}

func (sb *Sandbox) idle() chan *jsRuntime {
	sb.once.Do(func() { sb.pool = make(chan *jsRuntime, 32) })
	return sb.pool
}

func (sb *Sandbox) get() (*jsRuntime, error) {
	select {
	case r := <-sb.idle():
		return r, nil
	default:
		return newJSRuntime()
	}
}

func (sb *Sandbox) put(r *jsRuntime) {
	select {
	case sb.idle() <- r:
	default: // enough idle runtimes already
	}
}

// Session evaluates expressions against one document: the document is built in the runtime
// once and shared by every expression of the session, as CHT shares one doc object across the
// configs of a transition run. Close returns the runtime to the pool.
type Session struct {
	sb      *Sandbox
	r       *jsRuntime
	doc     goja.Value
	tainted bool
	// dirty: a program that may have added globals ran, so Close must check.
	dirty  bool
	docVal Value
}

// SessionValue starts evaluating expressions against an already parsed (hydrated) document.
func (sb *Sandbox) SessionValue(doc Value) *Session {
	return &Session{sb: sb, docVal: doc}
}

// Close releases the session's runtime.
func (s *Session) Close() {
	if s.r == nil {
		return
	}
	if !s.tainted && (!s.dirty || len(s.r.rt.GlobalObject().Keys()) == s.r.baseline) {
		if err := s.r.rt.GlobalObject().Set("doc", goja.Undefined()); err == nil {
			s.sb.put(s.r)
		}
	}
	s.r, s.doc = nil, nil
}

// run evaluates src and returns its completion value.
func (s *Session) run(src string) (goja.Value, error) {
	p, err := s.sb.program(src)
	if err != nil {
		return nil, err
	}
	v, err := s.runProgram(p, s.sb.Timeout)
	var in *interrupted
	if errors.As(err, &in) && in.time {
		// A busy machine can stall any evaluation past the limit; a runaway one stays
		// runaway. One more, longer try on a fresh runtime tells them apart.
		s.discard()
		v, err = s.runProgram(p, s.sb.Timeout*retryFactor)
	}
	return v, err
}

// retryFactor is how much longer the second try of an evaluation stopped for time may run.
const retryFactor = 10

func (s *Session) runProgram(p program, timeout time.Duration) (goja.Value, error) {
	if s.r == nil {
		var err error
		if s.r, err = s.sb.get(); err != nil {
			return nil, err
		}
		s.doc, err = s.guarded(timeout, func() (goja.Value, error) { return toJS(s.r.rt, s.docVal, 0), nil })
		if err != nil {
			s.tainted = true
			return nil, fmt.Errorf("load doc: %w", err)
		}
	}
	if err := s.r.rt.GlobalObject().Set("doc", s.doc); err != nil {
		s.tainted = true
		return nil, fmt.Errorf("set doc: %w", err)
	}
	if p.mayTaint {
		s.dirty = true
	}
	return s.guarded(timeout, func() (goja.Value, error) { return s.r.rt.RunProgram(p.p) })
}

// discard drops the session's runtime without pooling it (its state is not trusted).
func (s *Session) discard() {
	s.r, s.doc, s.tainted, s.dirty = nil, nil, false, false
}

// interrupted is why the watchdog stopped an evaluation.
type interrupted struct {
	reason string
	time   bool
}

func (e *interrupted) Error() string        { return "evaluation interrupted: " + e.reason }
func (e *interrupted) Is(target error) bool { return target == ErrInterrupted }

// toJS builds the JavaScript value of v, with object keys in v's (JavaScript) order.
func toJS(rt *goja.Runtime, v Value, depth int) goja.Value {
	switch t := v.(type) {
	case nil:
		return goja.Null()
	case bool, float64, string:
		return rt.ToValue(t)
	case *Object:
		o := rt.NewObject()
		if depth > 1000 {
			return o
		}
		for _, k := range t.keys {
			if e := t.vals[k]; !skipped(e) {
				o.Set(k, toJS(rt, e, depth+1))
			}
		}
		return o
	case *Array:
		elems := make([]any, len(t.Elems))
		for i, e := range t.Elems {
			if skipped(e) {
				elems[i] = goja.Undefined()
			} else if depth <= 1000 {
				elems[i] = toJS(rt, e, depth+1)
			}
		}
		return rt.NewArray(elems...)
	}
	return goja.Undefined()
}

// guarded runs fn under the watchdog and turns goja's errors into ours.
func (s *Session) guarded(timeout time.Duration, fn func() (goja.Value, error)) (v goja.Value, err error) {
	w := watchdogFor(s.r.rt, timeout, s.sb.MaxAlloc)
	defer func() {
		w.done()
		if r := recover(); r != nil {
			s.tainted = true
			err = &jsError{msg: fmt.Sprint(r)}
		}
	}()
	v, err = fn()
	if err == nil {
		return v, nil
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		s.tainted = true
		if in, ok := ie.Value().(*interrupted); ok {
			return nil, in
		}
		return nil, fmt.Errorf("%w: %v", ErrInterrupted, ie.Value())
	}
	var so *goja.StackOverflowError
	if errors.As(err, &so) {
		s.tainted = true
		return nil, &jsError{msg: "RangeError: Maximum call stack size exceeded"}
	}
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return nil, &jsError{msg: ex.Value().String()}
	}
	return nil, err
}

// Truthy evaluates src and applies JavaScript truthiness to the result.
func (s *Session) Truthy(src string) (bool, error) {
	v, err := s.run(src)
	if err != nil {
		return false, err
	}
	return v.ToBoolean(), nil
}

// Value evaluates src and returns the result as JSON.stringify would carry it: Undefined for
// undefined, omitted for functions and symbols, else the parsed JSON (so Dates become ISO
// strings through toJSON).
func (s *Session) Value(src string) (Value, error) {
	v, err := s.run(src)
	if err != nil {
		return nil, err
	}
	if goja.IsUndefined(v) {
		return Undefined, nil
	}
	out, err := s.guarded(s.sb.Timeout*retryFactor, func() (goja.Value, error) { return s.r.stringify(goja.Undefined(), v) })
	if err != nil {
		return nil, err
	}
	if goja.IsUndefined(out) {
		return omitted{}, nil
	}
	return ParseJSON([]byte(out.String()))
}
