package channel_test

import (
	"strings"
	"testing"

	"careflow/channel"
)

func TestSplitText(t *testing.T) {
	long := strings.Repeat("word ", 50) // 250 characters
	parts := channel.SplitText(long, 160)
	if len(parts) != 2 || len([]rune(parts[0])) > 160 || strings.HasSuffix(parts[0], " ") || strings.Join(parts, " ") != strings.TrimSpace(long) {
		t.Fatalf("parts: %q", parts)
	}
	if p := channel.SplitText(strings.Repeat("x", 330), 160); len(p) != 3 || len(p[0]) != 160 {
		t.Fatalf("unbroken text: %d parts", len(p))
	}
	if p := channel.SplitText("short", 160); len(p) != 1 || p[0] != "short" {
		t.Fatalf("short: %q", p)
	}
	if p := channel.SplitText(strings.Repeat("é", 200), 0); len(p) != 1 {
		t.Fatal("no limit split")
	}
}
