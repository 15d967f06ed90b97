package engine_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"careflow/engine"
)

// TestFieldDatetimeJSON: field value datetimes are written with six fractional digits, as the
// reference writes them, in the contact and in field events alike.
func TestFieldDatetimeJSON(t *testing.T) {
	at := time.Date(1990, 3, 4, 5, 6, 7, 890123456, time.FixedZone("", -5*3600))
	v := &engine.FieldValue{Text: "4/3/90", Datetime: &at}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"datetime":"1990-03-04T05:06:07.890123-05:00"`; !strings.Contains(string(b), want) {
		t.Errorf("field value %s, want %s", b, want)
	}
	c := &engine.Contact{UUID: "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3", Status: engine.StatusActive,
		Fields: map[string]*engine.FieldValue{"born": v}}
	cb, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"datetime":"1990-03-04T05:06:07.890123-05:00"`; !strings.Contains(string(cb), want) {
		t.Errorf("contact %s, want %s", cb, want)
	}
	var back engine.FieldValue
	if err := json.Unmarshal(b, &back); err != nil || back.Datetime == nil || !back.Datetime.Equal(at.Truncate(time.Microsecond)) {
		t.Errorf("read back %v (%v)", back.Datetime, err)
	}
}
