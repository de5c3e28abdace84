// hookstore: inbound webhook receiver of an integration platform. Every
// delivery body (1-3 KiB of JSON from the partner) is decoded with
// json.Unmarshal into a generic map[string]any (the partners' schemas vary)
// and stored in map[string]map[string]any keyed by the delivery ID, so that a
// redelivery can be detected and the original payload replayed to the
// workflow engine on request. Entries were supposed to expire after the
// partners' 72 h redelivery window, but the expiry pass was lost in a
// refactor, so every decoded payload stays: each one a tree of small maps,
// []any slices, strings and boxed float64s (~5-10 KiB and ~100 heap objects
// per delivery).
package main

import (
	"encoding/json"
	"expvar"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"strings"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	deliveriesPerSec = flag.Int("deliveries-per-sec", 700, "webhook deliveries per second")
	redeliveryRatio  = flag.Float64("redelivery-ratio", 0.05, "fraction of deliveries that repeat an earlier delivery ID")
	minItems         = flag.Int("min-items", 3, "line items per payload (min)")
	maxItems         = flag.Int("max-items", 12, "line items per payload (max)")
)

var events = []string{"order.created", "order.updated", "invoice.paid", "shipment.dispatched", "refund.issued"}

func body(rng *rand.Rand, id string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"id":%q,"event":%q,"created":%d,"account":{"id":"acct_%08d","region":"eu-%d","tier":"gold"},"data":{"order_id":"ord_%012d","currency":"EUR","total":%.2f,"items":[`,
		id, events[rng.Intn(len(events))], time.Now().Unix(), rng.Intn(1e8), rng.Intn(4), rng.Int63n(1e12), rng.Float64()*1000)
	n := *minItems + rng.Intn(*maxItems-*minItems+1)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"sku":"SKU-%06d","qty":%d,"price":%.2f,"tags":["promo","w%d"],"attrs":{"color":"c%d","size":"s%d"}}`, rng.Intn(1e6), 1+rng.Intn(4), rng.Float64()*200, rng.Intn(52), rng.Intn(20), rng.Intn(8))
	}
	fmt.Fprintf(&b, `]},"signature":"%016x%016x"}`, rng.Uint64(), rng.Uint64())
	return []byte(b.String())
}

func main() {
	flag.Parse()
	store := make(map[string]map[string]any)
	var ids []string
	var received, redelivered int64
	expvar.Publish("stored_deliveries", expvar.Func(func() any { return atomic.LoadInt64(&received) - atomic.LoadInt64(&redelivered) }))
	expvar.Publish("redeliveries", expvar.Func(func() any { return atomic.LoadInt64(&redelivered) }))
	obs.Start()
	rng := rand.New(rand.NewSource(97))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*deliveriesPerSec) / 100
	var acc float64
	var seq int64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				var id string
				if len(ids) > 0 && rng.Float64() < *redeliveryRatio {
					id = ids[rng.Intn(len(ids))]
				} else {
					seq++
					id = fmt.Sprintf("evt_%016x%08d", rng.Uint64(), seq)
				}
				raw := body(rng, id)
				atomic.AddInt64(&received, 1)
				if _, dup := store[id]; dup {
					atomic.AddInt64(&redelivered, 1)
					continue
				}
				var doc map[string]any
				if err := json.Unmarshal(raw, &doc); err != nil {
					log.Fatal(err)
				}
				store[id] = doc
				if len(ids) < 10000 {
					ids = append(ids, id)
				} else {
					ids[rng.Intn(len(ids))] = id
				}
			}
		case <-report.C:
			log.Printf("stored=%d received=%d redelivered=%d", len(store), atomic.LoadInt64(&received), atomic.LoadInt64(&redelivered))
		}
	}
}
