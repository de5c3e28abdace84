// finboard: serves finance dashboards from pre-aggregated daily rollups kept
// in memory. Small dashboard queries arrive continuously; every few seconds
// a ledger export request renders a full-period report into a single
// in-memory buffer before it is compressed and uploaded.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"strconv"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	series      = flag.Int("series", 11000, "metric series with rollups")
	days        = flag.Int("days", 365, "daily rollup points per series")
	qps         = flag.Int("qps", 500, "dashboard queries per second")
	exportEvery = flag.Duration("export-every", 5*time.Second, "ledger export period")
	exportMB    = flag.Int("export-mb", 40, "rendered export buffer size (MiB)")
)

type rollup struct {
	day   int32
	sum   float64
	count int64
	min   float64
	max   float64
}

type seriesData struct {
	name   string
	labels map[string]string
	points []rollup
}

func load(rng *rand.Rand) []*seriesData {
	out := make([]*seriesData, *series)
	for i := range out {
		s := &seriesData{name: "revenue_by_sku_" + strconv.Itoa(i), labels: map[string]string{"region": "r" + strconv.Itoa(i%12), "channel": "c" + strconv.Itoa(i%5)},
			points: make([]rollup, *days)}
		for d := range s.points {
			v := rng.Float64() * 1000
			s.points[d] = rollup{day: int32(d), sum: v, count: int64(1 + rng.Intn(100)), min: v / 3, max: v * 2}
		}
		out[i] = s
	}
	return out
}

// renderExport writes the whole report into one buffer (the uploader needs
// the final length up front).
func renderExport(all []*seriesData, rng *rand.Rand) int {
	buf := make([]byte, *exportMB<<20)
	off := 0
	for off < len(buf)-256 {
		s := all[rng.Intn(len(all))]
		p := s.points[rng.Intn(len(s.points))]
		line := fmt.Sprintf("%s,%s,%d,%.2f,%d\n", s.name, s.labels["region"], p.day, p.sum, p.count)
		off += copy(buf[off:], line)
	}
	return off
}

func query(all []*seriesData, rng *rand.Rand) string {
	s := all[rng.Intn(len(all))]
	from := rng.Intn(len(s.points) - 30)
	vals := make([]float64, 0, 30)
	for _, p := range s.points[from : from+30] {
		vals = append(vals, p.sum/float64(p.count))
	}
	return fmt.Sprintf(`{"series":%q,"values":%v}`, s.name, vals)
}

func main() {
	flag.Parse()
	obs.Start()
	t0 := time.Now()
	all := load(rand.New(rand.NewSource(8)))
	log.Printf("rollups loaded: series=%d days=%d in %v", len(all), *days, time.Since(t0))
	var queries, exports int64
	go func() {
		rng := rand.New(rand.NewSource(9))
		for range time.Tick(*exportEvery) {
			n := renderExport(all, rng)
			atomic.AddInt64(&exports, 1)
			log.Printf("ledger export rendered: %d bytes", n)
		}
	}()
	go func() {
		for range time.Tick(10 * time.Second) {
			log.Printf("exports=%d", atomic.LoadInt64(&exports))
		}
	}()
	rng := rand.New(rand.NewSource(10))
	per := *qps / 100
	for range time.Tick(10 * time.Millisecond) {
		for i := 0; i < per; i++ {
			_ = query(all, rng)
			queries++
		}
	}
}
