// Package reqinfo carries what the server's request log needs to learn from the handlers (the
// authenticated user) back out to the middleware that writes the log line. It imports only
// the standard library.
package reqinfo

import (
	"context"
	"sync"
)

// Info is filled in by handlers while a request runs.
type Info struct {
	mu   sync.Mutex
	user string
}

type key struct{}

// With returns a context carrying a new Info, and the Info.
func With(ctx context.Context) (context.Context, *Info) {
	i := &Info{}
	return context.WithValue(ctx, key{}, i), i
}

// SetUser records the authenticated user of the request in ctx, if it carries an Info.
func SetUser(ctx context.Context, name string) {
	if i, ok := ctx.Value(key{}).(*Info); ok {
		i.mu.Lock()
		i.user = name
		i.mu.Unlock()
	}
}

// User is the recorded user, or "".
func (i *Info) User() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.user
}
