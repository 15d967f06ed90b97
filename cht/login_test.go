package cht

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestLoginThrottle(t *testing.T) {
	u, _, now := setupUsers(t)
	ctx := context.Background()
	u.Throttle = &Throttle{MaxUserFailures: 3, MaxAddrFailures: 5, Window: 15 * time.Minute, Lockout: time.Minute, Now: func() time.Time { return *now }}
	const password = "Tq9!vRapid-Pro-2026"
	if err := u.CreateDirect(ctx, "gw", password, []string{"gateway"}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := u.Login(ctx, "10.0.0.1", "gw", "wrong"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	var th *ThrottledError
	if _, err := u.Login(ctx, "10.0.0.2", "gw", password); !errors.As(err, &th) || th.RetryAfter != time.Minute {
		t.Fatalf("locked name, right password, other address: %v", err)
	}
	checks := u.checks.Load()
	if _, err := u.Login(ctx, "10.0.0.2", "gw", "guess"); !errors.As(err, &th) || u.checks.Load() != checks {
		t.Fatalf("a locked-out guess must cost no password check: %v, %d checks", err, u.checks.Load()-checks)
	}
	*now = now.Add(61 * time.Second)
	if _, err := u.Login(ctx, "10.0.0.2", "gw", password); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	// A success forgets the name's failures: three more are needed to lock it again.
	if _, err := u.Login(ctx, "10.0.0.3", "gw", "wrong"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("after success: %v", err)
	}

	// The address 10.0.0.1 has 3 failures; two more on other names lock it for every name.
	for _, name := range []string{"x1", "x2"} {
		u.Login(ctx, "10.0.0.1", name, "wrong")
	}
	if _, err := u.Login(ctx, "10.0.0.1", "someone-else", "wrong"); !errors.As(err, &th) {
		t.Fatalf("locked address: %v", err)
	}
	// Credentials verified in the last minute still pass: a gateway is not locked out by a guesser.
	if _, err := u.Login(ctx, "10.0.0.1", "gw", password); err != nil {
		t.Fatalf("cached credentials from a locked address: %v", err)
	}
}

func TestLoginLockoutDoubles(t *testing.T) {
	now := time.Unix(0, 0)
	th := &Throttle{MaxUserFailures: 2, Window: time.Hour, Lockout: time.Minute, Now: func() time.Time { return now }}
	k := userKey("a")
	for _, want := range []time.Duration{0, time.Minute, 2 * time.Minute, 4 * time.Minute} {
		th.Fail(k)
		if got := th.Locked(k); got != want {
			t.Fatalf("locked %v, want %v", got, want)
		}
	}
	for range 20 {
		th.Fail(k)
	}
	if got := th.Locked(k); got != time.Hour {
		t.Fatalf("lock capped at the window: %v", got)
	}
}

func TestLoginSharesConcurrentChecks(t *testing.T) {
	u, _, _ := setupUsers(t)
	ctx := context.Background()
	u.Iterations = 200_000 // slow enough that the callers overlap
	if err := u.CreateDirect(ctx, "gw", "Tq9!vRapid-Pro-2026", []string{"gateway"}); err != nil {
		t.Fatal(err)
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			<-start
			if _, err := u.Login(ctx, "", "gw", "Tq9!vRapid-Pro-2026"); err != nil {
				t.Error(err)
			}
		})
	}
	close(start)
	wg.Wait()
	if n := u.checks.Load(); n != 1 {
		t.Fatalf("8 concurrent logins ran %d password checks, want 1", n)
	}
}

// TestLoginUnknownNameCostsTheSame: an unknown name runs a full password check, so it
// cannot be told from a known name by timing (it answered 500 times faster before).
func TestLoginUnknownNameCostsTheSame(t *testing.T) {
	u, _, _ := setupUsers(t)
	ctx := context.Background()
	u.Iterations = 100_000
	u.Throttle = &Throttle{MaxUserFailures: 1000, MaxAddrFailures: 1000}
	if err := u.CreateDirect(ctx, "gw", "Tq9!vRapid-Pro-2026", []string{"gateway"}); err != nil {
		t.Fatal(err)
	}
	u.dummyHash() // the dummy hash is made once; not part of a login's cost
	timeOf := func(name string) time.Duration {
		best := time.Hour
		for i := range 3 {
			start := time.Now()
			if _, err := u.Login(ctx, "", name, "wrong-"+string(rune('a'+i))); !errors.Is(err, ErrBadCredentials) {
				t.Fatal(err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	known, unknown := timeOf("gw"), timeOf("nobody")
	if unknown < known/2 {
		t.Fatalf("unknown name took %v, known %v", unknown, known)
	}
}
