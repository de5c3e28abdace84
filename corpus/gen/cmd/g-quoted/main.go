// quoted: insurance quote engine. Loads a rating table (~35 MiB of tariff
// cells and rule structs) at start and prices ~1500 quotes/s, each building
// short-lived rating worksheets (~25 KiB of garbage). The service is deployed
// with GOGC=400 to cut GC CPU: the heap grows to ~5x the live set between
// collections, so RSS sits well above the live heap - but flat, far below the
// container limit.
package main

import (
	"flag"
	"expvar"
	"log"
	"math/rand"
	"time"

	"workloads/obs"
)

var (
	cells = flag.Int("cells", 350000, "tariff cells")
	qps   = flag.Int("qps", 1500, "quotes per second")
)

type cell struct {
	zone, band, cover uint16
	rate              float64
	loadings          []float32
	rule              *rule
}

type rule struct {
	name   string
	factor float64
}

func main() {
	flag.Parse()
	rng := rand.New(rand.NewSource(21))
	rules := make([]*rule, 400)
	for i := range rules {
		rules[i] = &rule{name: "rule-" + string(rune('a'+i%26)), factor: 1 + rng.Float64()}
	}
	table := make([]*cell, *cells)
	for i := range table {
		table[i] = &cell{zone: uint16(rng.Intn(900)), band: uint16(rng.Intn(40)), cover: uint16(rng.Intn(12)), rate: rng.Float64(),
			loadings: make([]float32, 4+rng.Intn(8)), rule: rules[rng.Intn(len(rules))]}
	}
	var quotes int64
	expvar.Publish("quotes", expvar.Func(func() any { return quotes }))
	obs.Start()
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*qps) / 100
	var acc float64
	var sum float64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				ws := make([]float64, 0, 64)
				lines := make([][]byte, 0, 12)
				for k := 0; k < 48; k++ {
					c := table[rng.Intn(len(table))]
					ws = append(ws, c.rate*c.rule.factor)
				}
				for k := 0; k < 12; k++ {
					lines = append(lines, make([]byte, 1500+rng.Intn(1000)))
				}
				for _, v := range ws {
					sum += v
				}
				quotes++
			}
		case <-report.C:
			log.Printf("quotes=%d", quotes)
		}
	}
}
