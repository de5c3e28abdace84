// riskgraph: fraud-risk scoring service over a pointer-rich account graph
// (accounts -> devices/counterparties, ~100 MiB live, loaded at start). At
// start the service applies its runtime tuning block from the config file,
// including "gc_percent: 10" (a value copied from an old batch tool that had a
// tiny heap) via debug.SetGCPercent(10); GOGC is not in the environment. With
// GOGC=10 the heap goal is live+10%, so every ~10 MiB of request garbage
// (~45 MiB/s of scoring scratch) triggers a full mark of the ~100 MiB graph:
// several GCs per second and a large share of the CPU in the collector.
package main

import (
	"expvar"
	"flag"
	"log"
	"math/rand"
	"runtime/debug"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	accounts  = flag.Int("accounts", 400000, "accounts in the graph")
	rps       = flag.Int("rps", 3000, "scoring requests per second")
	gcPercent = flag.Int("gc-percent", 10, "runtime tuning: gc_percent from the config file (0 = leave the default)")
)

type account struct {
	id       uint64
	devices  []*device
	peers    []*account
	risk     float32
	flagged  bool
	name     string
}

type device struct {
	fp       uint64
	owners   []*account
	lastIP   uint32
}

func main() {
	flag.Parse()
	if *gcPercent != 0 {
		old := debug.SetGCPercent(*gcPercent)
		log.Printf("runtime tuning: gc_percent %d (was %d)", *gcPercent, old)
	}
	rng := rand.New(rand.NewSource(67))
	accts := make([]*account, *accounts)
	devs := make([]*device, *accounts/2)
	for i := range devs {
		devs[i] = &device{fp: rng.Uint64(), lastIP: rng.Uint32()}
	}
	for i := range accts {
		accts[i] = &account{id: rng.Uint64(), name: "acct", risk: rng.Float32()}
	}
	for _, a := range accts {
		a.devices = make([]*device, 1+rng.Intn(3))
		for j := range a.devices {
			d := devs[rng.Intn(len(devs))]
			a.devices[j] = d
			d.owners = append(d.owners, a)
		}
		a.peers = make([]*account, 2+rng.Intn(6))
		for j := range a.peers {
			a.peers[j] = accts[rng.Intn(len(accts))]
		}
	}
	var scored int64
	expvar.Publish("scored", expvar.Func(func() any { return atomic.LoadInt64(&scored) }))
	obs.Start()
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*rps) / 100
	var acc float64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				a := accts[rng.Intn(len(accts))]
				// scoring scratch: visited set over the 2-hop neighbourhood and a feature buffer
				visited := make(map[*account]float32, 32)
				for _, p := range a.peers {
					visited[p] = p.risk
					for _, q := range p.peers {
						visited[q] += q.risk / 2
					}
				}
				feat := make([]float64, 1024+rng.Intn(1024))
				feat[0] = float64(len(visited))
				a.risk = float32(feat[0]) / 100
				atomic.AddInt64(&scored, 1)
			}
		case <-report.C:
			log.Printf("scored=%d", atomic.LoadInt64(&scored))
		}
	}
}
