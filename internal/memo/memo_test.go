package memo

import "testing"

func TestMapRemembersAndStaysBounded(t *testing.T) {
	calls := 0
	sq := func(x int) int { calls++; return x * x }
	m := New[int, int](3)
	if m.Get(4, sq) != 16 || m.Get(4, sq) != 16 || calls != 1 {
		t.Fatalf("not remembered: %d calls", calls)
	}
	for i := range 10 {
		if m.Get(i, sq) != i*i {
			t.Fatalf("wrong value for %d", i)
		}
		if len(m.m) > 3 {
			t.Fatalf("%d entries, bound 3", len(m.m))
		}
	}
}
