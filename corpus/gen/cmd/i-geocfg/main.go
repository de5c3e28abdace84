// geocfg: geo-routing edge service. At start it loads its routing rule set
// (CIDR prefix -> *rule with a pool name, weights and a small tag slice) and
// serves lookups with short-lived request garbage. At -reload-at a config
// push arrives with the new, larger rule set (a new region came online: 2x
// the rules); the service builds the new table next to the old one, swaps an
// atomic pointer and drops the old table. The live heap steps up once to the
// new table's size and then stays flat: nothing else is retained.
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
	rules      = flag.Int("rules", 150000, "rules in the initial config")
	newRules   = flag.Int("new-rules", 300000, "rules in the config pushed at -reload-at")
	reloadAt   = flag.Duration("reload-at", 22*time.Second, "when the config push arrives")
	rps        = flag.Int("rps", 4000, "lookups per second")
	garbageMax = flag.Int("garbage-max", 6144, "request garbage per lookup (max bytes)")
)

type rule struct {
	prefix  uint32
	bits    uint8
	pool    string
	weights []uint16
	tags    []string
	version int
}

type table struct {
	version int
	byKey   map[uint32]*rule
	keys    []uint32
}

func build(rng *rand.Rand, n, version int) *table {
	t := &table{version: version, byKey: make(map[uint32]*rule, n), keys: make([]uint32, 0, n)}
	for i := 0; i < n; i++ {
		k := rng.Uint32()
		r := &rule{prefix: k, bits: uint8(16 + rng.Intn(9)), pool: fmt.Sprintf("pool-%s-%03d", []string{"eu", "us", "ap", "sa"}[rng.Intn(4)], rng.Intn(200)), weights: make([]uint16, 4+rng.Intn(5)), tags: []string{"edge", fmt.Sprintf("v%d", version)}, version: version}
		for j := range r.weights {
			r.weights[j] = uint16(rng.Intn(100))
		}
		t.byKey[k] = r
		t.keys = append(t.keys, k)
	}
	return t
}

func main() {
	flag.Parse()
	rng := rand.New(rand.NewSource(47))
	var cur atomic.Pointer[table]
	cur.Store(build(rng, *rules, 1))
	var lookups int64
	expvar.Publish("config_version", expvar.Func(func() any { return cur.Load().version }))
	expvar.Publish("rules", expvar.Func(func() any { return len(cur.Load().keys) }))
	expvar.Publish("lookups", expvar.Func(func() any { return atomic.LoadInt64(&lookups) }))
	obs.Start()
	go func() {
		time.Sleep(*reloadAt)
		rr := rand.New(rand.NewSource(53))
		t := build(rr, *newRules, 2)
		cur.Store(t)
		log.Printf("config reloaded: version %d, %d rules", t.version, len(t.keys))
	}()
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*rps) / 100
	var acc float64
	for {
		select {
		case <-tick.C:
			t := cur.Load()
			for acc += perTick; acc >= 1; acc-- {
				r := t.byKey[t.keys[rng.Intn(len(t.keys))]]
				resp := make([]byte, 512+rng.Intn(*garbageMax))
				copy(resp, r.pool)
				hdr := fmt.Sprintf("x-pool=%s;w=%d", r.pool, r.weights[0])
				_ = hdr
				atomic.AddInt64(&lookups, 1)
			}
		case <-report.C:
			t := cur.Load()
			log.Printf("version=%d rules=%d lookups=%d", t.version, len(t.keys), atomic.LoadInt64(&lookups))
		}
	}
}
