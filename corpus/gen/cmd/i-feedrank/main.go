// feedrank: home-feed ranking service deployed the way the Go GC guide
// suggests for a container: GOGC=off with GOMEMLIMIT set well below the
// container limit (both in the environment). A ~40 MiB candidate/feature table
// is loaded at start; every ranking request leaves ~24 KiB of scoring garbage
// (~30 MiB/s). With GOGC off the runtime only collects when the heap reaches
// the memory limit, so the heap climbs from the live set up to GOMEMLIMIT,
// is collected back down to the live set, and climbs again: a saw-tooth whose
// peak is the configured limit, far below the cgroup limit.
package main

import (
	"expvar"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	items = flag.Int("items", 250000, "candidate items in the feature table")
	rps   = flag.Int("rps", 1250, "ranking requests per second")
)

type item struct {
	id       uint64
	author   string
	features [12]float32
	topics   []uint16
}

func main() {
	flag.Parse()
	rng := rand.New(rand.NewSource(59))
	table := make([]*item, *items)
	for i := range table {
		it := &item{id: rng.Uint64(), author: fmt.Sprintf("author-%06d", rng.Intn(500000)), topics: make([]uint16, 2+rng.Intn(6))}
		for j := range it.features {
			it.features[j] = rng.Float32()
		}
		table[i] = it
	}
	var ranked int64
	expvar.Publish("ranked", expvar.Func(func() any { return atomic.LoadInt64(&ranked) }))
	obs.Start()
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*rps) / 100
	var acc float64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				// score 150-250 candidates: a scored slice, a scratch buffer and a response
				type scored struct {
					it    *item
					score float32
				}
				cands := make([]scored, 150+rng.Intn(100))
				for i := range cands {
					it := table[rng.Intn(len(table))]
					var s float32
					for _, f := range it.features {
						s += f
					}
					cands[i] = scored{it, s}
				}
				scratch := make([]byte, 12<<10+rng.Intn(8<<10))
				scratch[0] = byte(len(cands))
				resp := make([]byte, 2048+rng.Intn(4096))
				resp[0] = scratch[0]
				atomic.AddInt64(&ranked, 1)
			}
		case <-report.C:
			log.Printf("ranked=%d", atomic.LoadInt64(&ranked))
		}
	}
}
