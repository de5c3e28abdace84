// geojoin: clickstream enrichment stage. Joins every incoming event against an
// in-memory geo/ASN table (loaded at start) and emits the enriched event.
// For throughput the service turns the collector off at start with
// debug.SetGCPercent(-1) - the pattern is only safe together with
// debug.SetMemoryLimit, whose flag (-memory-limit) defaults to 0 = unset and
// was never set in this deployment; GOMEMLIMIT is not set either. With no
// GOGC trigger and no memory limit, the runtime never collects: every
// request's garbage stays in the heap.
package main

import (
	"expvar"
	"flag"
	"log"
	"math/rand"
	"runtime/debug"
	"time"

	"workloads/obs"
)

var (
	entries  = flag.Int("entries", 300000, "geo table entries")
	eps      = flag.Int("events-per-sec", 3000, "events per second")
	memLimit = flag.Int64("memory-limit", 0, "soft memory limit in bytes for debug.SetMemoryLimit (0 = unset)")
)

type geo struct {
	lo, hi  uint32
	country [2]byte
	asn     uint32
	city    string
	org     string
}

func main() {
	flag.Parse()
	debug.SetGCPercent(-1) // GC off "for throughput"
	if *memLimit > 0 {
		debug.SetMemoryLimit(*memLimit)
	}
	rng := rand.New(rand.NewSource(41))
	table := make([]*geo, *entries)
	for i := range table {
		table[i] = &geo{lo: uint32(i) << 12, hi: uint32(i)<<12 | 0xfff, country: [2]byte{'D', 'E'}, asn: rng.Uint32() % 70000,
			city: "city-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)), org: "org-" + string(rune('A'+i%26))}
	}
	var events int64
	expvar.Publish("events", expvar.Func(func() any { return events }))
	obs.Start()
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*eps) / 100
	var acc float64
	var out [][]byte
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				raw := make([]byte, 600+rng.Intn(800)) // decoded event
				rng.Read(raw[:32])
				g := table[rng.Intn(len(table))]
				enriched := make([]byte, 0, len(raw)+96)
				enriched = append(enriched, raw...)
				enriched = append(enriched, g.city...)
				enriched = append(enriched, g.org...)
				out = append(out, enriched)
				if len(out) == 256 { // flush a batch to the sink
					out = make([][]byte, 0, 256)
				}
				events++
			}
		case <-report.C:
			log.Printf("events=%d", events)
		}
	}
}
