// shardfan: scatter-gather query front end. Each query fans out to 4-8 shard
// workers and a collector goroutine waits for them with sync.WaitGroup and
// then closes the results channel:
//
//	go func() { wg.Wait(); close(results) }()
//
// The handler returns to the client when results is closed or after a 40 ms
// deadline, whichever comes first. A shard worker that gets an error from its
// shard returns early on that path WITHOUT calling wg.Done() (the Done is at
// the end of the happy path, not deferred). For those queries the handler
// times out and returns, but the collector goroutine blocks forever in
// wg.Wait (semacquire), keeping the WaitGroup and the results channel
// reachable (the partial results the other shards delivered were already
// received by the handler). ~12% of queries hit a failing shard.
package main

import (
	"errors"
	"expvar"
	"flag"
	"log"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	qps       = flag.Int("qps", 300, "queries per second")
	failRatio = flag.Float64("shard-fail-ratio", 0.02, "probability that one shard call fails")
	deadline  = flag.Duration("deadline", 40*time.Millisecond, "per-query deadline")
)

type partial struct {
	shard int
	docs  []uint64
	blob  []byte
}

var errShard = errors.New("shard unavailable")

func queryShard(rng *rand.Rand, shard int) (*partial, error) {
	if rng.Float64() < *failRatio {
		return nil, errShard
	}
	p := &partial{shard: shard, docs: make([]uint64, 16+rng.Intn(48)), blob: make([]byte, 2048+rng.Intn(4096))}
	for i := range p.docs {
		p.docs[i] = rng.Uint64()
	}
	p.blob[0] = byte(shard)
	return p, nil
}

func handle(seed int64, timedOut, served *int64) {
	rng := rand.New(rand.NewSource(seed))
	n := 4 + rng.Intn(5)
	results := make(chan *partial, n)
	var wg sync.WaitGroup
	for s := 0; s < n; s++ {
		wg.Add(1)
		go func(s int, seed int64) {
			r := rand.New(rand.NewSource(seed))
			p, err := queryShard(r, s)
			if err != nil {
				return // BUG: wg.Done() is only called on the happy path
			}
			results <- p
			wg.Done()
		}(s, seed*31+int64(s))
	}
	go func() { wg.Wait(); close(results) }()
	timer := time.NewTimer(*deadline)
	defer timer.Stop()
	got := 0
	for {
		select {
		case p, ok := <-results:
			if !ok {
				atomic.AddInt64(served, 1)
				return
			}
			got += len(p.docs)
		case <-timer.C:
			atomic.AddInt64(timedOut, 1)
			return
		}
	}
}

func main() {
	flag.Parse()
	var timedOut, served int64
	expvar.Publish("queries_timed_out", expvar.Func(func() any { return atomic.LoadInt64(&timedOut) }))
	expvar.Publish("queries_served", expvar.Func(func() any { return atomic.LoadInt64(&served) }))
	obs.Start()
	rng := rand.New(rand.NewSource(61))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*qps) / 100
	var acc float64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				go handle(rng.Int63(), &timedOut, &served)
			}
		case <-report.C:
			log.Printf("served=%d timed_out=%d", atomic.LoadInt64(&served), atomic.LoadInt64(&timedOut))
		}
	}
}
