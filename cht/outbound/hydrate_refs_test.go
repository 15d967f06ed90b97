package outbound

import (
	"context"
	"testing"

	"careflow/store"
	"careflow/store/storetest"
)

// A report's subject given as a short code is found through the store's reference index; a
// value no contact has as short code is taken as an _id; a short code wins over an _id.
func TestLineageHydratorShortCodes(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			ctx := context.Background()
			for id, f := range map[string]string{
				"hc":     `{"type":"health_center","name":"HC","place_id":"HC01"}`,
				"clinic": `{"type":"clinic","name":"Clinic A","parent":{"_id":"hc"}}`,
				"pat":    `{"type":"person","name":"Pat","patient_id":"40751","parent":{"_id":"clinic","parent":{"_id":"hc"}}}`,
				"other":  `{"type":"person","name":"Other","patient_id":"pat","parent":{"_id":"clinic","parent":{"_id":"hc"}}}`,
				"uuid1":  `{"type":"person","name":"By id","parent":{"_id":"clinic","parent":{"_id":"hc"}}}`,
			} {
				if res, err := st.WriteDocs(ctx, []store.DocWrite{{ID: id, Fields: []byte(f)}}); err != nil || res[0].Err != nil {
					t.Fatal(err, res)
				}
			}
			h := LineageHydrator{Docs: st}
			cases := []struct {
				name, fields string
				want         map[string]Value
			}{
				{"FieldsPatientID", `{"type":"data_record","fields":{"patient_id":"40751"}}`,
					map[string]Value{"patient.name": "Pat", "patient.parent.parent.name": "HC"}},
				{"TopLevelPatientID", `{"type":"data_record","patient_id":"40751"}`,
					map[string]Value{"patient.name": "Pat"}},
				{"PlaceShortCode", `{"type":"data_record","fields":{"place_id":"HC01"}}`,
					map[string]Value{"place.name": "HC", "patient": nil}},
				{"UUIDFallback", `{"type":"data_record","fields":{"patient_uuid":"uuid1"}}`,
					map[string]Value{"patient.name": "By id", "patient.parent.name": "Clinic A"}},
				{"ShortCodeBeforeID", `{"type":"data_record","fields":{"patient_id":"pat"}}`,
					map[string]Value{"patient.name": "Other"}},
				{"Unknown", `{"type":"data_record","fields":{"patient_id":"99999"}}`,
					map[string]Value{"patient": nil}},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					v, err := h.Hydrate(ctx, store.Doc{ID: "r", Rev: "1-a", Fields: []byte(c.fields)})
					if err != nil {
						t.Fatal(err)
					}
					for path, want := range c.want {
						got, found := PathGet(v, path)
						if want == nil && found { // nil: not attached at all
							t.Errorf("%s attached: %s", path, Stringify(v))
						} else if want != nil && got != want {
							t.Errorf("%s = %v, want %v in %s", path, got, want, Stringify(v))
						}
					}
				})
			}
		})
	}
}
