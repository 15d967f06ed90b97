package expr

import (
	"strings"
	"testing"
)

// TestFunctionEdgeCases covers limits and conversions beyond the generated fixture.
func TestFunctionEdgeCases(t *testing.T) {
	t.Parallel()
	env := mustEnv(t, `{"date_format": "DD-MM-YYYY"}`)
	env.Prompts = func(name string) (string, bool) {
		return "Classify {{ .arg1 }} as one of {{ .arg2 }}", name == "classify"
	}
	many := strings.Repeat(`"x", `, 10_000) + `"x"`
	tests := []struct {
		name, tpl, want, err string
	}{
		{"ArrayRefusesErrors", `@(array(1, 1 / 0))`, "", "error calling array(...): division by zero"},
		{"ArrayIsCapped", `@(array(` + many + `))`, "", "error calling array(...): cannot build an array with more than 10000 items"},
		{"ConcatIsCapped", `@(concat(concat(split(repeat("x ", 5000)), split(repeat("x ", 5000))), array("y")))`, "", "error calling concat(...): cannot build an array with more than 10000 items"},
		{"EpochBeforeUnixNanoRange", `@(epoch(datetime("1500-01-01T00:00:00Z")))`, "-14831769600", ""},
		{"EpochAfterUnixNanoRange", `@(epoch(datetime("3000-01-01T00:00:00Z")))`, "32503680000", ""},
		{"HTMLNonBreakingSpacesArePlain", `@(html_decode("Red&nbsp;&amp;&nbsp;Blue"))`, "Red & Blue", ""},
		{"PercentMustFitAnInteger", `@(percent(123456789012345678901))`, "", "error calling percent(...): percentage value is out of range"},
		{"RoundingToManyPlacesChangesNothing", `@(round(123.456, 2000000000))`, "123.456", ""},
		{"RoundingToManyNegativePlacesIsZero", `@(round(123.456, -2000000000))`, "0", ""},
		{"ParsedOffsetsShownInRequestedZone", `@(parse_datetime("1977-06-23T15:34:00.000000Z", "YYYY-MM-DDTtt:mm:ss.ffffffZ", "America/Los_Angeles"))`, "1977-06-23T08:34:00.000000-07:00", ""},
		{"PromptsAreTextTemplates", `@(prompt("classify", "hi", array("a", "b")))`, "Classify hi as one of [a, b]", ""},
		{"UnknownPrompt", `@(prompt("other"))`, "", "error calling prompt(...): unknown LLM prompt other"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := EvaluateTemplate(env, nil, tc.tpl, nil)
			var errMsg string
			if len(diags.Errors) > 0 {
				errMsg = diags.Errors[0].Message
			}
			if got != tc.want || errMsg != tc.err {
				t.Fatalf("got %q (error %q), want %q (error %q)", got, errMsg, tc.want, tc.err)
			}
		})
	}
}
