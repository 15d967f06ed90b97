package outbound

import (
	"errors"
	"testing"
)

func TestSandboxIsolatesEvaluations(t *testing.T) {
	sb := NewSandbox()
	cases := []struct {
		name, first, then string
		want              bool
	}{
		{"TopLevelVar", "var leak = 1; leak", "typeof leak === 'undefined'", true},
		{"UndeclaredAssignment", "leak2 = 2", "typeof leak2 === 'undefined'", true},
		{"ThroughFunctionConstructor", "[].constructor.constructor('return glob' + 'alThis')().__defineGetter__('leak3', function () { return 3 }); 1", "typeof leak3 === 'undefined'", true},
		{"PrototypePoisoning", "Array.prototype.includes = function () { return true }; String.prototype.startsWith = null; 1", "![1].includes(2) && 'ab'.startsWith('a')", true},
		{"ReplacingJSON", "JSON = null; 1", "typeof JSON.stringify === 'function'", true},
		{"DocIsPerDocument", "doc.extra = 1; 1", "doc.extra === undefined", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i := 0; i < 3; i++ { // runtimes come back from the pool
				s := sb.SessionValue(NewObject())
				if _, err := s.Truthy(tc.first); err != nil {
					var je *jsError
					if !errors.As(err, &je) {
						t.Fatal(err)
					}
				}
				s.Close()
				s = sb.SessionValue(NewObject())
				got, err := s.Truthy(tc.then)
				s.Close()
				if err != nil || got != tc.want {
					t.Fatalf("after %q: %q = %v, %v", tc.first, tc.then, got, err)
				}
			}
		})
	}
}

func TestSandboxStopsRunaways(t *testing.T) {
	sb := NewSandbox()
	for _, src := range []string{
		"while (true) {}",
		"var s = 'x'; while (true) { s += s }",
		"'x'.repeat(1e9)",
		"(function f() { return f() })()",
	} {
		s := sb.SessionValue(NewObject())
		_, err := s.Truthy(src)
		s.Close()
		if err == nil {
			t.Errorf("%s: not stopped", src)
		}
	}
	s := sb.SessionValue(NewObject())
	defer s.Close()
	if ok, err := s.Truthy("1 + 1 === 2"); err != nil || !ok {
		t.Fatalf("the sandbox is unusable after runaways: %v %v", ok, err)
	}
}

func TestMayTaint(t *testing.T) {
	for src, want := range map[string]bool{
		"doc.type === 'data_record' && doc.form !== 'x'": false,
		"doc.a >= 1 && doc.b <= 2 || doc.c == 3":         false,
		"doc.list.map(x => x * 2)":                       false,
		"x = 1":                                          true,
		"var a = 1; a":                                   true,
		"doc.a += 1":                                     true,
		"globalThis.y":                                   true,
		"'\\u0061'":                                      true,
	} {
		if got := mayTaint(src); got != want {
			t.Errorf("mayTaint(%q) = %v", src, got)
		}
	}
}
