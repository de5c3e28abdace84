// scrapewin: metrics downsampler. 25 scrapes/s are each decoded into one
// []sample (3000-5000 samples of 24 bytes, a single ~70-120 KiB pointer-free
// backing array). For the "recent values" panel the downsampler keeps the
// last 8 samples of every scrape as pts[len(pts)-8:] - a tail sub-slice that
// shares the scrape's backing array - in a time-ordered list that is trimmed
// to one hour, so within the window nothing is trimmed and every 192 bytes of
// kept samples pins a whole decoded scrape.
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
	scrapesPerSec = flag.Int("scrapes-per-sec", 25, "scrapes decoded per second")
	minSamples    = flag.Int("min-samples", 3000, "samples per scrape (min)")
	maxSamples    = flag.Int("max-samples", 5000, "samples per scrape (max)")
	keep          = flag.Int("keep", 8, "samples of each scrape kept for the recent panel")
	retention     = flag.Duration("retention", time.Hour, "how long recent windows are kept")
)

type sample struct {
	ts     int64
	value  float64
	series uint32
	flags  uint32
}

type window struct {
	target uint32
	at     time.Time
	pts    []sample // pts[len(pts)-keep:] of the decoded scrape
}

func decode(rng *rand.Rand, n int, now int64) []sample {
	pts := make([]sample, n)
	for i := range pts {
		pts[i] = sample{ts: now - int64(n-i)*1e6, value: rng.Float64() * 1000, series: uint32(i), flags: uint32(rng.Intn(4))}
	}
	return pts
}

func main() {
	flag.Parse()
	var recent []window
	var scrapes, samples int64
	expvar.Publish("scrapes", expvar.Func(func() any { return atomic.LoadInt64(&scrapes) }))
	expvar.Publish("samples_decoded", expvar.Func(func() any { return atomic.LoadInt64(&samples) }))
	obs.Start()
	rng := rand.New(rand.NewSource(41))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*scrapesPerSec) / 100
	var acc float64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				n := *minSamples + rng.Intn(*maxSamples-*minSamples+1)
				now := time.Now()
				pts := decode(rng, n, now.UnixNano())
				// aggregate into the downsampled store (sums, not retained)
				var sum float64
				for _, p := range pts {
					sum += p.value
				}
				_ = sum
				recent = append(recent, window{target: uint32(rng.Intn(600)), at: now, pts: pts[len(pts)-*keep:]})
				for len(recent) > 0 && now.Sub(recent[0].at) > *retention {
					recent = recent[1:]
				}
				atomic.AddInt64(&scrapes, 1)
				atomic.AddInt64(&samples, int64(n))
			}
		case <-report.C:
			log.Printf("windows=%d scrapes=%d samples=%d", len(recent), atomic.LoadInt64(&scrapes), atomic.LoadInt64(&samples))
		}
	}
}
