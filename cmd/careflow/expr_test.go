package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestExprCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string
		stderrIn string
	}{
		{
			name:   "RendersATemplateAgainstAContext",
			args:   []string{"expr", "-context", `{"contact": {"__default__": "Ann", "name": "Ann Lee"}}`, "Hi @contact.name (@contact)"},
			stdout: "Hi Ann Lee (Ann)\n",
		},
		{
			name:   "UsesTheEnvironmentAndClock",
			args:   []string{"expr", "-env", `{"timezone": "Africa/Kigali", "date_format": "DD-MM-YYYY"}`, "-now", "2020-01-01T23:30:00Z", "@(format_date(today()))"},
			stdout: "02-01-2020\n",
		},
		{
			name:   "EnvironmentFlagsOverrideTheJSON",
			args:   []string{"expr", "-env", `{"date_format": "YYYY-MM-DD"}`, "-date-format", "MM-DD-YYYY", "-timezone", "America/Los_Angeles", "@(format_datetime(\"2020-01-02T10:00:00Z\", \"MM-DD-YYYY tt:mm\"))"},
			stdout: "01-02-2020 02:00\n",
		},
		{
			name:   "PrintsValuesWithTheirType",
			args:   []string{"expr", "-value", "@(array(1, \"a\"))"},
			stdout: "type: array\njson: [1,\"a\"]\ntext: [1, a]\n",
		},
		{
			name:     "ReportsErrorsAndExitsNonZero",
			args:     []string{"expr", "a@(1 / 0)b"},
			code:     1,
			stdout:   "ab\n",
			stderrIn: "error: @(1 / 0): division by zero",
		},
		{
			name:   "ListsContextPaths",
			args:   []string{"expr", "-paths", "@contact.name @(upper(results.color))"},
			stdout: "contact.name\nresults.color\n",
		},
		{
			name:   "MigratesLegacyTemplates",
			args:   []string{"expr", "-legacy", "@flow.color.category"},
			stdout: "@results.color.category_localized\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Main(context.Background(), tc.args, &out, &errOut)
			if code != tc.code || out.String() != tc.stdout || !strings.Contains(errOut.String(), tc.stderrIn) {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
			}
		})
	}
}
