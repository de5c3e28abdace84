// quoteagg: a shipping-quote aggregator. Every quote request fans out to the
// configured carrier backends (one goroutine per carrier); the results are
// collected on a channel until the request deadline, and the cheapest quote
// received so far is returned. A built-in load client drives the service.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	rps        = flag.Int("rps", 50, "quote requests per second")
	carriers   = flag.Int("carriers", 6, "carrier backends queried per request")
	deadline   = flag.Duration("deadline", 30*time.Millisecond, "per-request deadline")
	slowShare  = flag.Float64("slow-share", 0.25, "share of carrier calls that take 40-200 ms")
	quoteBytes = flag.Int("quote-bytes", 2048, "size of a carrier's raw quote document")
)

type quote struct {
	carrier string
	cents   int64
	raw     []byte
}

var rngMu sync.Mutex
var rng = rand.New(rand.NewSource(17))

func latency() time.Duration {
	rngMu.Lock()
	defer rngMu.Unlock()
	if rng.Float64() < *slowShare {
		return time.Duration(40+rng.Intn(160)) * time.Millisecond
	}
	return time.Duration(1+rng.Intn(9)) * time.Millisecond
}

// fetchCarrierQuote calls one carrier and delivers its quote to the collector.
func fetchCarrierQuote(carrier string, shipment int64, results chan<- quote) {
	time.Sleep(latency())
	raw := make([]byte, *quoteBytes)
	n := copy(raw, fmt.Sprintf(`{"carrier":%q,"shipment":%d,"service":"ground","currency":"EUR"}`, carrier, shipment))
	for i := n; i < len(raw); i++ {
		raw[i] = ' '
	}
	results <- quote{carrier: carrier, cents: 500 + shipment%700, raw: raw}
}

var requests, partial, complete int64

func handleQuote(shipment int64) (best quote, n int) {
	atomic.AddInt64(&requests, 1)
	results := make(chan quote)
	for c := 0; c < *carriers; c++ {
		go fetchCarrierQuote(fmt.Sprintf("carrier-%02d", c), shipment, results)
	}
	timer := time.NewTimer(*deadline)
	defer timer.Stop()
	for n < *carriers {
		select {
		case q := <-results:
			if n == 0 || q.cents < best.cents {
				best = q
			}
			n++
		case <-timer.C:
			atomic.AddInt64(&partial, 1)
			return best, n
		}
	}
	atomic.AddInt64(&complete, 1)
	return best, n
}

func main() {
	flag.Parse()
	obs.Start()
	var shipment int64
	tick := time.NewTicker(time.Second / time.Duration(*rps))
	last := time.Now()
	for range tick.C {
		shipment++
		go handleQuote(shipment)
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			log.Printf("requests=%d complete=%d partial=%d", atomic.LoadInt64(&requests), atomic.LoadInt64(&complete), atomic.LoadInt64(&partial))
		}
	}
}
