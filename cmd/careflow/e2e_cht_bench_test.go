package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
)

// BenchmarkRecordsPost posts JSON records over HTTP with Basic auth, from parallel clients (1 and 4 per CPU),
// to a server on SQLite (the default deployment): the path a RapidPro flow's webhook takes,
// sender attribution by phone included. Records per second = 1e9 / ns/op.
func BenchmarkRecordsPost(b *testing.B) {
	for _, perCPU := range []int{1, 4} {
		b.Run(fmt.Sprintf("goroutines-per-cpu=%d", perCPU), func(b *testing.B) {
			cs, err := startCHTServerOn(context.Background(), "")
			if err != nil {
				b.Fatal(err)
			}
			defer cs.close()
			settings := json.RawMessage(`{"default_country_code":254,"forms":{"RPRESULT":{"meta":{"code":"RPRESULT"},"fields":{"patient_id":{"type":"string","required":true},"outcome":{"type":"string","required":true},"visit_count":{"type":"integer"}}}}}`)
			if _, err := cs.asAdmin("PUT", "/api/v1/settings", settings); err != nil {
				b.Fatal(err)
			}
			if _, err := cs.asAdmin("POST", "/api/v1/users", map[string]any{"username": "rapidpro", "password": gatewayPassword, "roles": []string{"gateway"}}); err != nil {
				b.Fatal(err)
			}
			if _, err := cs.asAdmin("POST", "/api/v1/places", map[string]any{"_id": "dh", "type": "district_hospital", "name": "D",
				"contact": map[string]any{"name": "Sender", "phone": "+254712345678"}}); err != nil {
				b.Fatal(err)
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			var n atomic.Int64
			b.SetParallelism(perCPU)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					body := fmt.Sprintf(`{"_meta":{"form":"RPRESULT","from":"+254712345678"},"patient_id":"p-%d","outcome":"ok","visit_count":%d}`, i, i%9)
					req, _ := http.NewRequest("POST", cs.base+"/api/v2/records", bytes.NewReader([]byte(body)))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Accept", "application/json")
					req.SetBasicAuth("rapidpro", gatewayPassword)
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					readAll(resp)
					if resp.StatusCode != 200 {
						b.Fatalf("status %d", resp.StatusCode)
					}
				}
			})
		})
	}
}
