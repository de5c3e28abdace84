// crawlseen: URL frontier of a web crawler. Every link extracted from a
// fetched page is canonicalized (scheme/host lower-cased, tracking query
// parameters stripped, path normalized) into a 120-600-byte URL string and
// checked against a "seen" set, map[string]struct{}, so that no page is
// queued twice. The set has no values: all of its memory is the long key
// strings (copied out of the page buffer with string(b)) and the map's
// buckets. It was meant to be a bounded Bloom filter; the map was the
// "temporary" implementation and is never pruned. ~85% of extracted links are
// new URLs. Request garbage: the fetched page body and the extraction buffers.
package main

import (
	"expvar"
	"flag"
	"log"
	"math/rand"
	"strconv"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	linksPerSec = flag.Int("links-per-sec", 8000, "extracted links per second")
	newRatio    = flag.Float64("new-ratio", 0.85, "fraction of links never seen before")
	minLen      = flag.Int("min-len", 120, "canonical URL length (min)")
	maxLen      = flag.Int("max-len", 600, "canonical URL length (max)")
)

var hosts = []string{"news.example.com", "shop.example.org", "forum.example.net", "docs.example.io", "blog.example.dev", "wiki.example.edu"}
var segs = []string{"article", "2026", "category", "products", "item", "thread", "page", "tag", "archive", "search", "results", "detail", "reviews", "topic", "docs", "reference"}

const alnum = "abcdefghijklmnopqrstuvwxyz0123456789-"

func canonical(rng *rand.Rand, id int64, buf []byte) []byte {
	n := *minLen + rng.Intn(*maxLen-*minLen+1)
	b := buf[:0]
	b = append(b, "https://"...)
	b = append(b, hosts[rng.Intn(len(hosts))]...)
	for len(b) < n-40 {
		b = append(b, '/')
		b = append(b, segs[rng.Intn(len(segs))]...)
		if rng.Intn(3) == 0 {
			b = append(b, '-')
			for k := 0; k < 6; k++ {
				b = append(b, alnum[rng.Intn(len(alnum))])
			}
		}
	}
	b = append(b, "?id="...)
	b = strconv.AppendInt(b, id, 36)
	b = append(b, "&ref="...)
	for len(b) < n {
		b = append(b, alnum[rng.Intn(len(alnum))])
	}
	return b
}

func main() {
	flag.Parse()
	seen := make(map[string]struct{})
	var recent []string
	var links, dups int64
	expvar.Publish("seen_urls", expvar.Func(func() any { return atomic.LoadInt64(&links) - atomic.LoadInt64(&dups) }))
	expvar.Publish("duplicate_links", expvar.Func(func() any { return atomic.LoadInt64(&dups) }))
	obs.Start()
	rng := rand.New(rand.NewSource(23))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*linksPerSec) / 100
	var acc float64
	var id int64
	buf := make([]byte, 0, 1024)
	for {
		select {
		case <-tick.C:
			// one fetched page per tick: its body is garbage after extraction
			page := make([]byte, 48<<10)
			page[0] = byte(rng.Intn(256))
			for acc += perTick; acc >= 1; acc-- {
				var u string
				if len(recent) > 0 && rng.Float64() > *newRatio {
					u = recent[rng.Intn(len(recent))]
				} else {
					id++
					u = string(canonical(rng, id, buf))
				}
				atomic.AddInt64(&links, 1)
				if _, ok := seen[u]; ok {
					atomic.AddInt64(&dups, 1)
					continue
				}
				seen[u] = struct{}{}
				if len(recent) < 4096 {
					recent = append(recent, u)
				} else {
					recent[rng.Intn(len(recent))] = u
				}
			}
		case <-report.C:
			log.Printf("seen=%d links=%d dups=%d", len(seen), atomic.LoadInt64(&links), atomic.LoadInt64(&dups))
		}
	}
}
