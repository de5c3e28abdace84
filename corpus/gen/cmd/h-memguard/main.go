// memguard: session-affinity router with a home-grown "memory guard". The
// router keeps a pointer-rich routing table (session -> backend, with
// per-session route history and labels) of ~110 MiB loaded at start and
// serves lookups with short-lived request garbage. A guard goroutine, added
// after an earlier OOM incident, polls runtime.ReadMemStats every 50 ms and
// calls runtime.GC() whenever HeapAlloc is above -soft-limit-mb "to keep the
// heap under control". The soft limit (96 MiB) was sized for last year's
// table and is now below the live heap, so the guard forces a full GC on
// nearly every poll: the process collects back to back.
package main

import (
	"expvar"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"runtime"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	sessions    = flag.Int("sessions", 700000, "routing table entries")
	rps         = flag.Int("rps", 3000, "lookups per second")
	softLimitMB = flag.Int("soft-limit-mb", 96, "guard: force a GC when HeapAlloc exceeds this")
	pollEvery   = flag.Duration("poll", 50*time.Millisecond, "guard poll interval")
)

type route struct {
	backend *backend
	history []*backend
	labels  map[string]string
	lastHit int64
}

type backend struct {
	name string
	zone string
	load float64
}

func main() {
	flag.Parse()
	rng := rand.New(rand.NewSource(9))
	backends := make([]*backend, 512)
	for i := range backends {
		backends[i] = &backend{name: fmt.Sprintf("be-%03d", i), zone: fmt.Sprintf("zone-%d", i%6)}
	}
	table := make(map[uint64]*route, *sessions)
	keys := make([]uint64, *sessions)
	for i := 0; i < *sessions; i++ {
		k := rng.Uint64()
		keys[i] = k
		r := &route{backend: backends[rng.Intn(len(backends))], history: make([]*backend, 2+rng.Intn(3))}
		for j := range r.history {
			r.history[j] = backends[rng.Intn(len(backends))]
		}
		if i%4 == 0 {
			r.labels = map[string]string{"tier": "gold"}
		}
		table[k] = r
	}
	var forced, lookups int64
	expvar.Publish("guard_forced_gcs", expvar.Func(func() any { return atomic.LoadInt64(&forced) }))
	expvar.Publish("lookups", expvar.Func(func() any { return atomic.LoadInt64(&lookups) }))
	obs.Start()
	go func() { // the memory guard
		soft := uint64(*softLimitMB) << 20
		var ms runtime.MemStats
		for range time.Tick(*pollEvery) {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > soft {
				runtime.GC()
				atomic.AddInt64(&forced, 1)
			}
		}
	}()
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*rps) / 100
	var acc float64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				r := table[keys[rng.Intn(len(keys))]]
				r.lastHit = time.Now().UnixNano()
				hdr := make(map[string]string, 8)
				for k := 0; k < 8; k++ {
					hdr[fmt.Sprintf("x-h%d", k)] = r.backend.name
				}
				buf := make([]byte, 2048+rng.Intn(4096))
				buf[0] = byte(len(hdr))
				atomic.AddInt64(&lookups, 1)
			}
		case <-report.C:
			log.Printf("lookups=%d forced=%d", atomic.LoadInt64(&lookups), atomic.LoadInt64(&forced))
		}
	}
}
