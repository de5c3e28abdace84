// respcache: HTTP response cache for an API edge, bounded by total bytes
// (-budget-mb) with random eviction (a map is sampled for a victim when over
// budget). At start it is warmed from the access log of the night before, whose
// responses were small (256 B-1 KiB JSON fragments: ~32-16 objects per 8 KiB
// span). After warm-up the traffic mix changes to the daytime one: rendered
// listing pages of 8-28 KiB. Random eviction removes most of the small entries,
// but the few survivors scattered over the small-size-class spans keep those
// spans in use, while the large entries need fresh spans of other size classes:
// the cache's byte budget (live heap) stays flat while the heap in use grows.
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
	budgetMB    = flag.Int("budget-mb", 80, "cache byte budget")
	warmSmall   = flag.Int("warm-min", 256, "warm-up entry min bytes")
	warmLarge   = flag.Int("warm-max", 1024, "warm-up entry max bytes")
	dayMin      = flag.Int("day-min", 8192, "daytime entry min bytes")
	dayMax      = flag.Int("day-max", 28672, "daytime entry max bytes")
	fillsPerSec = flag.Int("fills-per-sec", 200, "daytime cache fills (misses) per second")
	hitsPerSec  = flag.Int("hits-per-sec", 4000, "cache reads per second")
)

var sink []byte // last response buffer (handed to the writer)

type entry struct {
	body    []byte
	etag    uint64
	expires int64
}

type cache struct {
	mu    sync.Mutex
	m     map[uint64]*entry
	bytes int
	evict int64
}

func (c *cache) put(k uint64, e *entry, budget int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[k]; ok {
		c.bytes -= len(old.body)
	}
	c.m[k] = e
	c.bytes += len(e.body)
	for c.bytes > budget {
		for vk, v := range c.m { // random victim
			delete(c.m, vk)
			c.bytes -= len(v.body)
			c.evict++
			break
		}
	}
}

func main() {
	flag.Parse()
	budget := *budgetMB << 20
	c := &cache{m: make(map[uint64]*entry)}
	expvar.Publish("cache_entries", expvar.Func(func() any { c.mu.Lock(); defer c.mu.Unlock(); return len(c.m) }))
	expvar.Publish("cache_bytes", expvar.Func(func() any { c.mu.Lock(); defer c.mu.Unlock(); return c.bytes }))
	obs.Start()
	rng := rand.New(rand.NewSource(13))
	// response bodies carry content: every byte of a cached body is written
	tmpl := make([]byte, 64<<10)
	rng.Read(tmpl)
	fill := func(n int) []byte {
		b := make([]byte, n)
		copy(b, tmpl[rng.Intn(len(tmpl)-n):])
		return b
	}
	var key uint64
	// warm-up from last night's access log: small JSON fragments, up to the budget
	for c.bytes < budget-(1<<20) {
		key++
		c.put(key, &entry{body: fill(*warmSmall + rng.Intn(*warmLarge-*warmSmall+1)), etag: rng.Uint64()}, budget)
	}
	log.Printf("warmed: entries=%d bytes=%d", len(c.m), c.bytes)
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	fillPerTick := float64(*fillsPerSec) / 100
	hitPerTick := *hitsPerSec / 100
	var acc float64
	var hits, misses int
	for {
		select {
		case <-tick.C:
			for i := 0; i < hitPerTick; i++ {
				c.mu.Lock()
				if e, ok := c.m[1+uint64(rng.Int63n(int64(key)))]; ok {
					_ = e.etag
					hits++
				} else {
					misses++
				}
				c.mu.Unlock()
				scratch := make([]byte, 4096) // request/response scratch (header parse + encode)
				scratch[0] = 1
				sink = scratch
			}
			for acc += fillPerTick; acc >= 1; acc-- {
				key++
				body := fill(*dayMin + rng.Intn(*dayMax-*dayMin+1))
				body[0] = '<'
				c.put(key, &entry{body: body, etag: rng.Uint64(), expires: time.Now().Add(time.Hour).UnixNano()}, budget)
			}
		case <-report.C:
			c.mu.Lock()
			log.Printf("cache entries=%d bytes=%d evictions=%d hits=%d misses=%d", len(c.m), c.bytes, c.evict, hits, misses)
			c.mu.Unlock()
		}
	}
}
