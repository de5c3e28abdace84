// meterd: smart-meter telemetry ingest. Head-end systems post batches of
// ~2000 interval readings; each batch is decoded into one []reading (a single
// backing array of ~2000 inline structs) and aggregated per feeder. Readings
// that breach the voltage band are kept as alert exemplars for the grid
// operations console: the exemplar list stores &batch[i], a pointer into the
// decoded batch array, so every kept 128-byte reading keeps its whole
// ~256 KiB batch array reachable. Exemplars are only dropped when an operator
// acknowledges them, which nobody does.
package main

import (
	"expvar"
	"flag"
	"log"
	"math/rand"
	"sync"
	"time"

	"workloads/obs"
)

var (
	batchesPerSec = flag.Int("batches-per-sec", 10, "reading batches per second")
	batchSize     = flag.Int("batch-size", 2000, "readings per batch")
	breachRate    = flag.Float64("breach-rate", 0.0006, "probability that a reading breaches the voltage band")
	feeders       = flag.Int("feeders", 512, "feeders aggregated")
)

type reading struct {
	meterID  uint64
	ts       int64
	kwh      float64
	kvarh    float64
	voltage  [3]float32
	current  [3]float32
	feeder   uint32
	flags    uint32
	firmware [56]byte
}

type exemplar struct {
	r      *reading
	reason string
	at     time.Time
}

type console struct {
	mu        sync.Mutex
	exemplars []exemplar
}

func decode(rng *rand.Rand, n int) []reading {
	b := make([]reading, n)
	now := time.Now().UnixNano()
	for i := range b {
		r := &b[i]
		r.meterID = rng.Uint64() % 4000000
		r.ts = now
		r.kwh = rng.Float64() * 3
		for p := 0; p < 3; p++ {
			r.voltage[p] = 230 + float32(rng.NormFloat64()*4)
			r.current[p] = float32(rng.Float64() * 40)
		}
		if rng.Float64() < *breachRate*3 {
			r.voltage[rng.Intn(3)] = 253 + float32(rng.Float64()*10)
		}
		r.feeder = uint32(rng.Intn(*feeders))
		copy(r.firmware[:], "HE-7.4.2-build-20260301")
	}
	return b
}

func main() {
	flag.Parse()
	c := &console{}
	expvar.Publish("alert_exemplars", expvar.Func(func() any { c.mu.Lock(); defer c.mu.Unlock(); return len(c.exemplars) }))
	obs.Start()
	rng := rand.New(rand.NewSource(7))
	load := make([]float64, *feeders)
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*batchesPerSec) / 100
	var acc float64
	var batches int
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				batch := decode(rng, *batchSize)
				batches++
				for i := range batch {
					r := &batch[i]
					load[r.feeder] += r.kwh
					for p := 0; p < 3; p++ {
						if r.voltage[p] > 253 {
							c.mu.Lock()
							c.exemplars = append(c.exemplars, exemplar{r: r, reason: "overvoltage", at: time.Now()})
							c.mu.Unlock()
							break
						}
					}
				}
			}
		case <-report.C:
			c.mu.Lock()
			log.Printf("batches=%d exemplars=%d", batches, len(c.exemplars))
			c.mu.Unlock()
		}
	}
}
