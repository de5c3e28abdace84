// hitcache: product search result cache. The searcher collects hits into a
// result slice pre-sized for the worst case, make([]*hit, 0, maxHits) with
// maxHits = 2048 (a 16 KiB array of pointers), "to avoid reallocation", and
// the cache stores that slice as-is. Real queries return 3-24 hits, so each
// cached result keeps a 16 KiB backing array of which ~100 bytes are used.
// The cache is bounded at 300000 entries, far above what the window reaches.
// 1500 queries/s, ~20% of them cache misses that run a search and fill the
// cache. The hits point into the shared, read-only product catalogue.
package main

import (
	"expvar"
	"flag"
	"log"
	"math/rand"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	qps        = flag.Int("qps", 1500, "queries per second")
	missRatio  = flag.Float64("miss-ratio", 0.2, "fraction of queries not in the cache")
	maxHits    = flag.Int("max-hits", 2048, "capacity the result slice is created with")
	products   = flag.Int("products", 100000, "catalogue size")
	maxEntries = flag.Int("max-entries", 300000, "cache bound (entries)")
)

type product struct {
	id    uint32
	title string
	price int32
	score float32
}

type hit struct {
	p     *product
	score float32
	pos   int32
}

func main() {
	flag.Parse()
	rng := rand.New(rand.NewSource(43))
	catalogue := make([]product, *products)
	for i := range catalogue {
		catalogue[i] = product{id: uint32(i), title: "product title placeholder", price: int32(rng.Intn(100000)), score: rng.Float32()}
	}
	cache := make(map[uint64][]*hit)
	var keys []uint64
	var queries, fills int64
	expvar.Publish("cache_entries", expvar.Func(func() any { return atomic.LoadInt64(&fills) }))
	expvar.Publish("queries", expvar.Func(func() any { return atomic.LoadInt64(&queries) }))
	obs.Start()
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*qps) / 100
	var acc float64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				atomic.AddInt64(&queries, 1)
				// parsed query tokens: garbage
				toks := make([]string, 4)
				for i := range toks {
					toks[i] = "tok"
				}
				if len(keys) > 0 && rng.Float64() > *missRatio {
					if r, ok := cache[keys[rng.Intn(len(keys))]]; ok && len(r) > 0 {
						_ = r[0].p.price
					}
					continue
				}
				if len(cache) >= *maxEntries {
					continue
				}
				res := make([]*hit, 0, *maxHits)
				n := 3 + rng.Intn(22)
				for i := 0; i < n; i++ {
					res = append(res, &hit{p: &catalogue[rng.Intn(len(catalogue))], score: rng.Float32(), pos: int32(i)})
				}
				k := rng.Uint64()
				cache[k] = res
				keys = append(keys, k)
				atomic.AddInt64(&fills, 1)
			}
		case <-report.C:
			log.Printf("entries=%d queries=%d", len(cache), atomic.LoadInt64(&queries))
		}
	}
}
