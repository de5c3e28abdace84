// clickagg: clickstream aggregator. Every few seconds it pulls a batch of
// events from the upstream queue and decodes all of them into event records
// (the whole batch is decoded before aggregation, which needs it sorted by
// session); it aggregates per path and status, keeps the anomalous events
// (5xx or very slow, about 1 in 80) in a bounded ring for the /recent-errors
// API, and drops the batch. Between batches it serves the query API.
package main

import (
	"flag"
	"log"
	"math/rand"
	"sort"
	"time"

	"workloads/obs"
)

var (
	batchEvents = flag.Int("batch-events", 600000, "events per batch")
	batchEvery  = flag.Duration("batch-every", 4*time.Second, "batch interval")
	keepRing    = flag.Int("recent-errors", 50000, "anomalous events kept for /recent-errors")
	anomalyOdds = flag.Int("anomaly-one-in", 80, "about one event in N is anomalous")
	queryRPS    = flag.Int("query-rps", 2000, "query API requests per second")
	respBytes   = flag.Int("response-bytes", 3072, "max size of a query response")
)

// 64 bytes: one size class
type event struct {
	ts        int64
	userID    uint64
	sessionID uint64
	path      string
	latencyUs uint32
	status    uint16
	kind      uint16
	bytesOut  int64
	region    [8]byte
}

var paths = []string{"/", "/search", "/cart", "/checkout", "/product", "/api/v2/items", "/login", "/account", "/help", "/api/v2/reviews"}

type aggKey struct {
	path   string
	status uint16
}

func main() {
	flag.Parse()
	obs.Start()
	rng := rand.New(rand.NewSource(19))
	ring := make([]*event, *keepRing)
	ringPos := 0
	totals := map[aggKey]int64{}
	var batches, kept int64
	nextBatch := time.Now().Add(time.Second)
	perTick := *queryRPS / 100
	var sink []byte
	for range time.Tick(10 * time.Millisecond) {
		if time.Now().After(nextBatch) {
			nextBatch = nextBatch.Add(*batchEvery)
			t0 := time.Now()
			batch := make([]*event, 0, *batchEvents)
			base := time.Now().UnixMicro()
			for i := 0; i < *batchEvents; i++ {
				e := &event{ts: base + int64(i), userID: uint64(rng.Intn(2000000)), sessionID: rng.Uint64() % 500000,
					path: paths[rng.Intn(len(paths))], latencyUs: uint32(200 + rng.ExpFloat64()*4000), status: 200, kind: uint16(rng.Intn(6)),
					bytesOut: int64(rng.Intn(90000))}
				if rng.Intn(*anomalyOdds) == 0 {
					if rng.Intn(2) == 0 {
						e.status = 500 + uint16(rng.Intn(4))
					} else {
						e.latencyUs = 2000000 + uint32(rng.Intn(1000000))
					}
				}
				copy(e.region[:], "eu-west1")
				batch = append(batch, e)
			}
			sort.Slice(batch, func(a, b int) bool { return batch[a].sessionID < batch[b].sessionID })
			for _, e := range batch {
				totals[aggKey{e.path, e.status}]++
				if e.status >= 500 || e.latencyUs >= 2000000 {
					ring[ringPos] = e
					ringPos = (ringPos + 1) % len(ring)
					kept++
				}
			}
			batch = nil
			batches++
			log.Printf("batch %d: %d events in %v, anomalies kept so far %d", batches, *batchEvents, time.Since(t0), kept)
		}
		for i := 0; i < perTick; i++ {
			resp := make([]byte, 256+rng.Intn(*respBytes))
			if e := ring[rng.Intn(len(ring))]; e != nil {
				resp[0] = byte(e.status)
			}
			sink = resp
		}
	}
	_ = sink
}
