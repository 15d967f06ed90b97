package store

import (
	"fmt"
	"testing"
)

func TestDocMessagesDue(t *testing.T) {
	for _, c := range []struct {
		task, reported string
		due            int64
		outgoing       bool
	}{
		{`"state":"pending","due":5`, `1`, 5, true},
		{`"state":"pending","timestamp":"1970-01-01T00:00:02.000Z"`, `1`, 2000, true},
		{`"state":"forwarded-to-gateway"`, `7`, 7, true},
		{`"state":"pending","due":0`, `"1970-01-02"`, 86400000, true},
		{`"state":"pending","due":"not a date"`, `1`, 0, false},
		{`"state":"pending","due":true`, `1`, 0, false},
		{`"state":"pending"`, `null`, 0, false},
		{`"state":"pending","due":-5`, `1`, -5, false},
		{`"state":"scheduled","due":5`, `1`, 5, false},
	} {
		fields := fmt.Sprintf(`{"reported_date":%s,"tasks":[{%s,"messages":[{"uuid":"u","to":"+1","message":"m"}]}]}`, c.reported, c.task)
		got := DocMessages("d", []byte(fields))
		if len(got) != 1 || got[0].Due != c.due || got[0].Outgoing != c.outgoing {
			t.Errorf("%s: %+v", fields, got)
		}
	}
	if got := DocMessages("d", []byte(`{"tasks":[{"state":"pending","messages":[{"uuid":"u","to":"","message":"m"},{"uuid":"u","to":"+1","message":"m"},{"to":"+1","message":"m"}]}],"reported_date":1}`)); len(got) != 1 || got[0].Outgoing {
		t.Errorf("missing recipient, repeated uuid, no uuid: %+v", got)
	}
}

// BenchmarkDocMessages: what indexing costs a document write — a record as the records API
// writes it (no task can hold a message) and a message written in the CHT app.
func BenchmarkDocMessages(b *testing.B) {
	record := []byte(`{"type":"data_record","from":"+254712345678","form":"VISIT","errors":[],"tasks":[],"fields":{"patient_id":"p-1","temp":37},"reported_date":1777000000000,"sms_message":{"form":"VISIT","from":"+254712345678"}}`)
	message := []byte(`{"type":"data_record","kujua_message":true,"reported_date":1777000000000,"tasks":[{"messages":[{"sent_by":"admin","to":"+254712345678","message":"Your visit is tomorrow","uuid":"11111111-aaaa-4aaa-8aaa-000000000001"}],"state":"pending","state_history":[{"state":"pending","timestamp":"2026-12-01T10:00:00.000Z"}]}]}`)
	b.Run("record", func(b *testing.B) {
		for b.Loop() {
			DocMessages("d", record)
		}
	})
	b.Run("message", func(b *testing.B) {
		for b.Loop() {
			DocMessages("d", message)
		}
	})
}
