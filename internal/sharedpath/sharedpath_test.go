package sharedpath

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTB records what ForTest does instead of stopping the test.
type fakeTB struct {
	skipped, failed string
}

func (f *fakeTB) Helper()      {}
func (f *fakeTB) Name() string { return "TestX" }
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = fmt.Sprintf(format, args...)
	panic(f)
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
	panic(f)
}

func forTest(tb *fakeTB, rel string) (path string) {
	defer func() {
		if r := recover(); r != nil && r != tb {
			panic(r)
		}
	}()
	return ForTest(tb, rel)
}

func TestForTest(t *testing.T) {
	shared := t.TempDir()
	os.MkdirAll(filepath.Join(shared, "conformance", "goflow"), 0o755)
	cases := []struct {
		name, dir, ci, rel string
		path, skip, fail   string
	}{
		{"Found", shared, "", "conformance/goflow", filepath.Join(shared, "conformance/goflow"), "", ""},
		{"NoFolderSkipsLocally", filepath.Join(shared, "absent"), "", "conformance/goflow", "",
			"skipped: needs the shared conformance data (conformance/goflow); put the project's shared folder beside the repository, or set CAREFLOW_SHARED, to run it", ""},
		{"NoFolderFailsInCI", filepath.Join(shared, "absent"), "true", "conformance/goflow", "", "", "TestX needs the shared conformance data"},
		{"IncompleteFolderFails", shared, "", "conformance/other", "", "", "shared folder found, but not conformance/other in it"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CAREFLOW_SHARED", tc.dir)
			t.Setenv("CI", tc.ci)
			tb := &fakeTB{}
			path := forTest(tb, tc.rel)
			if path != tc.path || tb.skipped != tc.skip || !strings.Contains(tb.failed, tc.fail) || (tc.fail == "") != (tb.failed == "") {
				t.Fatalf("path %q, skipped %q, failed %q", path, tb.skipped, tb.failed)
			}
		})
	}
}
