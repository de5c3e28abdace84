// snippetd: search-result snippet service. For every (document, query) pair
// it renders a highlighted snippet of 150-450 bytes with a strings.Builder and
// caches the result in a map keyed by document and query hash (bounded at
// 200000 entries, far above what the window reaches). The renderer calls
// b.Grow(maxSnippet) up front "to avoid reallocations" with the worst-case
// snippet size (8 KiB); b.String() returns a string that shares the
// Builder's buffer, so every cached snippet string of a few hundred bytes
// keeps its whole 8 KiB backing array reachable.
package main

import (
	"expvar"
	"flag"
	"log"
	"math/rand"
	"strings"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	rps        = flag.Int("rps", 2500, "snippet requests per second")
	hitRatio   = flag.Float64("hit-ratio", 0.85, "fraction of requests served from the cache")
	maxSnippet = flag.Int("max-snippet", 8192, "worst-case snippet size passed to Builder.Grow")
	maxEntries = flag.Int("max-entries", 200000, "cache bound (entries)")
)

type key struct {
	doc   uint32
	query uint64
}

var words = strings.Fields("the memory cgroup limit kernel page cache reclaim service request latency heap goroutine buffer snippet search index query result document ranking token highlight fragment")

func render(r *rand.Rand) string {
	var b strings.Builder
	b.Grow(*maxSnippet)
	n := 150 + r.Intn(300)
	for b.Len() < n {
		w := words[r.Intn(len(words))]
		if r.Intn(9) == 0 {
			b.WriteString("<em>")
			b.WriteString(w)
			b.WriteString("</em> ")
		} else {
			b.WriteString(w)
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func main() {
	flag.Parse()
	cache := make(map[key]string)
	var hot []key
	var hits, fills, snippetBytes int64
	expvar.Publish("cache_entries", expvar.Func(func() any { return atomic.LoadInt64(&fills) }))
	expvar.Publish("cache_hits", expvar.Func(func() any { return atomic.LoadInt64(&hits) }))
	expvar.Publish("snippet_bytes", expvar.Func(func() any { return atomic.LoadInt64(&snippetBytes) }))
	obs.Start()
	rng := rand.New(rand.NewSource(11))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*rps) / 100
	var acc float64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				// request garbage: parsed query and ranked doc list
				ranked := make([]uint32, 50)
				for i := range ranked {
					ranked[i] = rng.Uint32()
				}
				if len(hot) > 0 && rng.Float64() < *hitRatio {
					if s, ok := cache[hot[rng.Intn(len(hot))]]; ok && len(s) > 0 {
						atomic.AddInt64(&hits, 1)
					}
					continue
				}
				k := key{doc: ranked[0], query: rng.Uint64()}
				if len(cache) < *maxEntries {
					s := render(rng)
					cache[k] = s
					hot = append(hot, k)
					atomic.AddInt64(&fills, 1)
					atomic.AddInt64(&snippetBytes, int64(len(s)))
				}
			}
		case <-report.C:
			log.Printf("entries=%d snippet_bytes=%d hits=%d", len(cache), atomic.LoadInt64(&snippetBytes), atomic.LoadInt64(&hits))
		}
	}
}
