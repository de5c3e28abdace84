// feedindexer: product search index. At start it ingests the full merchant
// feed: every offer is decoded into a staging record (title, description,
// attribute pairs), then the compact index (one small entry per product with
// the fields the search needs) is built from the staging set and the staging
// set is dropped. Afterwards it answers lookups against the compact index.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"runtime"
	"runtime/debug"
	"time"

	"workloads/obs"
)

var (
	offers       = flag.Int("offers", 220000, "offers in the feed")
	descBytes    = flag.Int("description-bytes", 1400, "average description size in the feed")
	attrs        = flag.Int("attributes", 6, "attribute pairs per offer")
	lookups      = flag.Int("lookups-per-sec", 2000, "lookups per second after the load")
	releaseAfter = flag.Bool("release-after-load", false, "call debug.FreeOSMemory after the index is built")
)

type stagingOffer struct {
	merchant    string
	sku         string
	title       string
	description []byte
	attributes  map[string]string
	priceCents  int64
}

type indexEntry struct {
	sku        string
	titleKey   string
	priceCents int64
	merchant   uint32
}

func main() {
	flag.Parse()
	obs.Start()
	rng := rand.New(rand.NewSource(5))
	t0 := time.Now()
	staging := make([]*stagingOffer, 0, *offers)
	for i := 0; i < *offers; i++ {
		o := &stagingOffer{merchant: fmt.Sprintf("m%04d", rng.Intn(3000)), sku: fmt.Sprintf("SKU-%08d", i),
			title:       fmt.Sprintf("offer %d brand %d colour %d size %d", i, rng.Intn(900), rng.Intn(30), rng.Intn(12)),
			description: make([]byte, *descBytes/2+rng.Intn(*descBytes)), attributes: make(map[string]string, *attrs),
			priceCents: int64(100 + rng.Intn(500000))}
		for j := range o.description {
			o.description[j] = byte('a' + (i+j)%26)
		}
		for a := 0; a < *attrs; a++ {
			o.attributes[fmt.Sprintf("attr%d", a)] = fmt.Sprintf("value-%d-%d", a, rng.Intn(1000))
		}
		staging = append(staging, o)
	}
	log.Printf("feed decoded: %d offers in %v", len(staging), time.Since(t0))

	index := make(map[string]*indexEntry, len(staging))
	keys := make([]string, 0, len(staging))
	for _, o := range staging {
		e := &indexEntry{sku: o.sku, titleKey: o.title[:16], priceCents: o.priceCents}
		fmt.Sscanf(o.merchant[1:], "%d", &e.merchant)
		index[e.sku] = e
		keys = append(keys, e.sku)
	}
	staging = nil
	runtime.GC()
	if *releaseAfter {
		debug.FreeOSMemory()
	}
	log.Printf("index built: %d entries, load took %v", len(index), time.Since(t0))

	perTick := *lookups / 100
	var sink string
	var served int64
	last := time.Now()
	for range time.Tick(10 * time.Millisecond) {
		for i := 0; i < perTick; i++ {
			e := index[keys[rng.Intn(len(keys))]]
			sink = fmt.Sprintf(`{"sku":%q,"title":%q,"price":%d,"merchant":%d}`, e.sku, e.titleKey, e.priceCents, e.merchant)
			served++
		}
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			log.Printf("served=%d", served)
		}
	}
	_ = sink
}
