package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"sort"
	"time"

	"careflow/flow"
	"careflow/store"
)

// resultsTableRows is how many runs the results table shows (the CSV has all scanned).
const resultsTableRows = 100

type categoryCount struct {
	Name    string
	Count   int
	Percent int
}

type resultChart struct {
	Key, Name  string
	Total      int
	Categories []categoryCount
}

type resultRow struct {
	Run    *store.Run
	Values []string
}

type resultsData struct {
	Flow    *store.Flow
	Charts  []resultChart
	Keys    []string
	Rows    []resultRow
	Scanned int
}

type savedResult struct {
	Value    string `json:"value"`
	Category string `json:"category"`
}

// flowResultsPage shows, for each result the flow saves, how its runs split by category, and
// the latest runs with their values; ?format=csv downloads every scanned run.
func (w *Web) flowResultsPage(rw http.ResponseWriter, r *http.Request) {
	ws, f, ok := w.flowOf(rw, r)
	if !ok {
		return
	}
	d := resultsData{Flow: f}
	counts := map[string]map[string]int{}
	if fl, err := flow.Read(f.Definition); err == nil {
		for _, res := range fl.Inspect(nil).Results {
			d.Keys = append(d.Keys, res.Key)
			d.Charts = append(d.Charts, resultChart{Key: res.Key, Name: res.Name})
			counts[res.Key] = map[string]int{}
			for _, c := range res.Categories {
				counts[res.Key][c] = 0
			}
		}
	}
	err := w.eachRun(r.Context(), ws.ID, f.UUID, func(run *store.Run) bool {
		d.Scanned++
		var results map[string]savedResult
		_ = json.Unmarshal(run.Results, &results)
		row := resultRow{Run: run}
		for _, k := range d.Keys {
			res, ok := results[k]
			row.Values = append(row.Values, res.Value)
			if ok {
				counts[k][res.Category]++
			}
		}
		d.Rows = append(d.Rows, row)
		return true
	})
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	for i := range d.Charts {
		c := &d.Charts[i]
		for name, n := range counts[c.Key] {
			c.Total += n
			c.Categories = append(c.Categories, categoryCount{Name: name, Count: n})
		}
		sort.Slice(c.Categories, func(a, b int) bool { return c.Categories[a].Count > c.Categories[b].Count })
		for j := range c.Categories {
			if c.Total > 0 {
				c.Categories[j].Percent = c.Categories[j].Count * 100 / c.Total
			}
		}
	}
	if r.URL.Query().Get("format") == "csv" {
		rw.Header().Set("Content-Type", "text/csv; charset=utf-8")
		rw.Header().Set("Content-Disposition", `attachment; filename="`+safeFilename(f.Name)+` results.csv"`)
		cw := csv.NewWriter(rw)
		_ = cw.Write(append([]string{"run", "contact_id", "status", "started", "exited"}, d.Keys...))
		for _, row := range d.Rows {
			exited := ""
			if row.Run.ExitedOn != nil {
				exited = row.Run.ExitedOn.UTC().Format(time.RFC3339)
			}
			_ = cw.Write(append([]string{row.Run.UUID, itoa64(row.Run.ContactID), row.Run.Status, row.Run.CreatedOn.UTC().Format(time.RFC3339), exited}, row.Values...))
		}
		cw.Flush()
		return
	}
	if len(d.Rows) > resultsTableRows {
		d.Rows = d.Rows[:resultsTableRows]
	}
	w.render(rw, r, "results.html", f.Name+" results", "flows", d)
}
