package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"careflow/internal/testserver"
	"careflow/web"
)

// browser starts a headless Chromium for the test, or skips (fails in CI) when Chromium or the
// editor's npm files are missing.
func browser(t *testing.T) context.Context {
	t.Helper()
	need := func(msg string) {
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		need("browser tests skipped: chromium is not installed (scripts/test installs it: apt-get install chromium)")
	}
	if !web.Vendored() {
		need("browser tests skipped: the editor's npm files are not embedded (run npm ci in web/, then test again)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.WindowSize(1400, 900), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// shot saves a screenshot of the window in the test's artifact folder (go test -artifacts).
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(t.ArtifactDir(), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

// signIn signs in as admin through the sign-in form and lands on next.
func signIn(t *testing.T, ctx context.Context, s *testserver.Server, next string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(s.Base+"/users/login/?next="+next),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "admin"),
		chromedp.SendKeys("#password", s.Admin),
		chromedp.Click("#signin"),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	waitPage(t, ctx, next)
}

// waitPage waits until the browser has navigated to path and the page has loaded.
func waitPage(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil && strings.Contains(loc, path) && (!strings.Contains(loc, "/users/login/") || strings.HasPrefix(path, "/users/login/")) {
			state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState`))
			if err == nil && state == "complete" {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the browser did not reach %s (at %q: %v)", path, loc, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
