package engine

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"
)

// FieldValue is a contact field value with all its typed interpretations (flows.md §9.1.2).
type FieldValue struct {
	Text     string
	Number   *decimal.Decimal
	Datetime *time.Time
	State    string
	District string
	Ward     string
}

type fieldValueJSON struct {
	Text     string          `json:"text"`
	Number   json.RawMessage `json:"number,omitempty"`
	Datetime json.RawMessage `json:"datetime,omitempty"`
	State    string          `json:"state,omitempty"`
	District string          `json:"district,omitempty"`
	Ward     string          `json:"ward,omitempty"`
}

// datetimeLayout is how field value datetimes are written: always six fractional digits, as
// the reference writes them (2019-10-16T13:59:30.000000-05:00).
const datetimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// MarshalJSON writes the value with its number as a JSON number.
func (v *FieldValue) MarshalJSON() ([]byte, error) {
	out := fieldValueJSON{Text: v.Text, State: v.State, District: v.District, Ward: v.Ward}
	if v.Number != nil {
		out.Number = json.RawMessage(v.Number.String())
	}
	if v.Datetime != nil {
		out.Datetime = json.RawMessage(`"` + v.Datetime.Format(datetimeLayout) + `"`)
	}
	return json.Marshal(&out)
}

// UnmarshalJSON reads a field value.
func (v *FieldValue) UnmarshalJSON(data []byte) error {
	var in fieldValueJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*v = FieldValue{Text: in.Text, State: in.State, District: in.District, Ward: in.Ward}
	if len(in.Datetime) > 0 && string(in.Datetime) != "null" {
		t := new(time.Time)
		if err := json.Unmarshal(in.Datetime, t); err != nil {
			return err
		}
		v.Datetime = t
	}
	if len(in.Number) > 0 && string(in.Number) != "null" {
		var s string
		raw := string(in.Number)
		if json.Unmarshal(in.Number, &s) == nil {
			raw = s
		}
		d, err := decimal.NewFromString(raw)
		if err != nil {
			return err
		}
		v.Number = &d
	}
	return nil
}

// Equal reports whether two values are the same.
func (v *FieldValue) Equal(o *FieldValue) bool {
	if v == nil || o == nil {
		return v == o
	}
	a, _ := json.Marshal(v)
	b, _ := json.Marshal(o)
	return string(a) == string(b)
}
