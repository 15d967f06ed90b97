package typereg

import (
	"slices"
	"testing"
)

type shape interface{ area() float64 }

type square struct {
	Type string  `json:"type"`
	Side float64 `json:"side"`
}

func (s *square) area() float64 { return s.Side * s.Side }

type rect struct {
	Type string  `json:"type"`
	W    float64 `json:"w"`
	H    float64 `json:"h"`
}

func (r *rect) area() float64 { return r.W * r.H }

func newShapes() *Registry[shape] {
	r := New[shape]("shape: type")
	r.Register("square", func() shape { return &square{} })
	r.Register("rect", func() shape { return &rect{} })
	return r
}

func TestRead(t *testing.T) {
	tests := []struct {
		name, json string
		area       float64
		err        string
	}{
		{"square", `{"type": "square", "side": 3}`, 9, ""},
		{"rect", `{"side": 3, "w": 2, "h": 5, "type": "rect"}`, 10, ""},
		{"no type", `{"side": 3}`, 0, "field 'type' is required"},
		{"empty type", `{"type": ""}`, 0, "field 'type' is required"},
		{"unknown type", `{"type": "circle"}`, 0, "unknown type: 'circle'"},
		{"not an object", `[1]`, 0, "json: cannot unmarshal array into Go value of type struct { Type string \"json:\\\"type\\\"\" }"},
		{"bad member", `{"type": "square", "side": "x"}`, 0, "json: cannot unmarshal string into Go struct field square.side of type float64"},
		{"bad JSON", `{"type":`, 0, "unexpected end of JSON input"},
	}
	r := newShapes()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := r.Read([]byte(tt.json))
			if tt.err != "" {
				if err == nil || err.Error() != tt.err || s != nil {
					t.Fatalf("got %v, %v; want error %q", s, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.area() != tt.area {
				t.Errorf("area %v, want %v", s.area(), tt.area)
			}
		})
	}
}

func TestNames(t *testing.T) {
	if got := newShapes().Names(); !slices.Equal(got, []string{"rect", "square"}) {
		t.Errorf("got %v", got)
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	r := newShapes()
	defer func() {
		if p := recover(); p != "shape: type registered twice: rect" {
			t.Errorf("panic %v", p)
		}
	}()
	r.Register("rect", func() shape { return &rect{} })
}
