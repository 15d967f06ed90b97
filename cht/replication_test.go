package cht

import (
	"fmt"
	"testing"
)

func TestReportKeys(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"PatientIDFirst", `{"form":"V","patient_id":"a","fields":{"patient_id":"b","place_id":"c"},"contact":{"_id":"s"}}`, `[{a s false}]`},
		{"FieldsPlaceID", `{"form":"V","fields":{"place_id":"c","patient_uuid":"u"}}`, `[{c  false}]`},
		{"PatientUUID", `{"form":"V","fields":{"patient_uuid":"u"},"contact":{"_id":"s"}}`, `[{u s false}]`},
		{"SubmitterWhenNoSubject", `{"form":"V","fields":{},"contact":{"_id":"s"}}`, `[{s s false}]`},
		{"RegistrationNotFound", `{"form":"V","fields":{"patient_id":"x"},"errors":[{"code":"registration_not_found"}],"contact":{"_id":"s"}}`, `[{s s false}]`},
		{"IncomingMessage", `{"sms_message":{"message":"hi"},"contact":{"_id":"s"}}`, `[{s  false}]`},
		{"OutgoingMessage", `{"kujua_message":true,"tasks":[{"messages":[{"contact":{"_id":"r"}}]}]}`, `[{r  false}]`},
		{"Unassigned", `{"sms_message":{"message":"hi"}}`, `[{_unassigned  false}]`},
		{"NeedsSignoff", `{"form":"V","fields":{"patient_id":"p","needs_signoff":true,"private":true},"contact":{"_id":"s","parent":{"_id":"hc","parent":{"_id":"dh"}}}}`,
			`[{p s true} {s s true} {hc s true} {dh s true}]`},
		{"NumberSubjectMatchesNothing", `{"form":"V","fields":{"patient_id":7}}`, `[{_unassigned  false}]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := fmt.Sprint(reportKeys([]byte(c.doc))); got != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestReplicationDepthAndReportDepth(t *testing.T) {
	settings := map[string]any{"replication_depth": []any{
		map[string]any{"role": "a", "depth": "2", "report_depth": "1"},
		map[string]any{"role": "b", "depth": "3"},
		map[string]any{"role": "c", "depth": "x"},
	}}
	for _, c := range []struct {
		roles         []string
		contact, repo int
	}{
		{[]string{"a"}, 2, 1}, {[]string{"a", "b"}, 3, -1}, {[]string{"c"}, -1, -1}, {nil, -1, -1},
	} {
		if cd, rd := replicationDepth(settings, c.roles); cd != c.contact || rd != c.repo {
			t.Errorf("%v: %d/%d, want %d/%d", c.roles, cd, rd, c.contact, c.repo)
		}
	}
	a := &replicationAuth{scope: ReplicationScope{ContactID: "me"}, reportDepth: 1,
		subjects: map[string]bool{"hc": true, "deep": true}, depths: map[string]int{"hc": 0, "deep": 2}, sensitive: map[string]bool{}}
	if !a.allowedReport([]replicationKey{{subject: "hc"}}) || a.allowedReport([]replicationKey{{subject: "deep"}}) ||
		!a.allowedReport([]replicationKey{{subject: "deep", submitter: "me"}}) {
		t.Fatal("report_depth: a report counts when its subject is close enough or the user submitted it")
	}
}
