// feedsyncd: partner catalog sync. Every sync interval it fans the partner
// feed out to one goroutine per item (~2000 items): each fetches the item's
// current offer (simulated upstream RPC latency), parses it and updates the
// fixed-size offer table; the goroutines then exit until the next round.
package main

import (
	"flag"
	"log"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	items    = flag.Int("items", 2000, "feed items per sync round")
	interval = flag.Duration("interval", 10*time.Second, "sync interval")
	minRPC   = flag.Duration("min-rpc", 1500*time.Millisecond, "minimum upstream latency")
	maxRPC   = flag.Duration("max-rpc", 3500*time.Millisecond, "maximum upstream latency")
	offerKB  = flag.Int("offer-kb", 6, "offer document size (KiB)")
	tableN   = flag.Int("offers", 50000, "offer table size")
)

type offer struct {
	sku      int
	price    int64
	currency string
	doc      []byte
}

type offerTable struct {
	mu     sync.Mutex
	offers []offer
}

func fetchOffer(sku int, r *rand.Rand) []byte {
	d := *minRPC + time.Duration(r.Int63n(int64(*maxRPC-*minRPC)))
	time.Sleep(d)
	doc := make([]byte, (*offerKB<<10)/2+r.Intn(*offerKB<<10))
	for i := 0; i < len(doc); i += 64 {
		doc[i] = byte(sku + i)
	}
	return doc
}

func syncRound(round int, tbl *offerTable) {
	var wg sync.WaitGroup
	var updated int64
	for i := 0; i < *items; i++ {
		wg.Add(1)
		go func(sku int) {
			defer wg.Done()
			r := rand.New(rand.NewSource(int64(sku*131 + round)))
			doc := fetchOffer(sku, r)
			o := offer{sku: sku, price: int64(r.Intn(100000)), currency: "EUR", doc: doc[:256:256]}
			o.doc = append([]byte(nil), o.doc...)
			tbl.mu.Lock()
			tbl.offers[sku%len(tbl.offers)] = o
			tbl.mu.Unlock()
			atomic.AddInt64(&updated, 1)
		}(rand.Intn(*tableN))
	}
	wg.Wait()
	log.Printf("sync round %d: %d offers updated", round, updated)
}

func main() {
	flag.Parse()
	obs.Start()
	tbl := &offerTable{offers: make([]offer, *tableN)}
	for i := range tbl.offers {
		tbl.offers[i] = offer{sku: i, price: int64(i), currency: "EUR", doc: make([]byte, 256)}
	}
	round := 0
	for {
		start := time.Now()
		round++
		syncRound(round, tbl)
		if rest := *interval - time.Since(start); rest > 0 {
			time.Sleep(rest)
		}
	}
}
