// spandedup: trace-span ingest front end. Collectors re-send span batches on
// retries, so every incoming trace is checked against a dedup table keyed by
// its 16-byte trace ID; the table entry records when the trace was first seen,
// the span IDs already accepted, the services that reported it and a few
// attribute hashes. The table was meant to be pruned by a TTL sweeper that was
// never wired in, so every trace ever seen stays in the map.
package main

import (
	"encoding/binary"
	"flag"
	"expvar"
	"log"
	"math/rand"
	"sync"
	"time"

	"workloads/obs"
)

var (
	tracesPerSec = flag.Int("traces-per-sec", 8000, "new traces per second")
	retryRatio   = flag.Float64("retry-ratio", 0.15, "fraction of batches that are retries of a recent trace")
	maxSpans     = flag.Int("max-spans", 6, "max span IDs recorded per trace")
)

type traceID [16]byte

type seenTrace struct {
	firstSeen int64
	lastSeen  int64
	batches   int32
	spanIDs   []uint64
	services  []string
	attrHash  []uint32
}

var services = []string{"checkout", "cart", "payments", "inventory", "search", "auth", "shipping", "reco", "pricing", "gateway"}

type dedup struct {
	mu    sync.Mutex
	seen  map[traceID]*seenTrace
	dups  int64
	fresh int64
}

func (d *dedup) accept(id traceID, spans []uint64, svc string, attrs []uint32) bool {
	now := time.Now().UnixNano()
	d.mu.Lock()
	defer d.mu.Unlock()
	if e, ok := d.seen[id]; ok {
		e.lastSeen = now
		e.batches++
		d.dups++
		return false
	}
	e := &seenTrace{firstSeen: now, lastSeen: now, batches: 1,
		spanIDs:  append(make([]uint64, 0, len(spans)), spans...),
		services: []string{svc},
		attrHash: append(make([]uint32, 0, len(attrs)), attrs...)}
	d.seen[id] = e
	d.fresh++
	return true
}

func main() {
	flag.Parse()
	d := &dedup{seen: make(map[traceID]*seenTrace)}
	expvar.Publish("dedup_entries", expvar.Func(func() any { d.mu.Lock(); defer d.mu.Unlock(); return len(d.seen) }))
	obs.Start()
	rng := rand.New(rand.NewSource(11))
	recent := make([]traceID, 4096)
	var seq uint64
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*tracesPerSec) / 100
	var acc float64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				// decode one span batch (wire buffer + decoded spans are request garbage)
				wire := make([]byte, 512+rng.Intn(1536))
				rng.Read(wire[:64])
				var id traceID
				if rng.Float64() < *retryRatio {
					id = recent[rng.Intn(len(recent))]
				} else {
					seq++
					binary.LittleEndian.PutUint64(id[:8], seq)
					binary.LittleEndian.PutUint64(id[8:], rng.Uint64())
					recent[seq%uint64(len(recent))] = id
				}
				n := 1 + rng.Intn(*maxSpans)
				spans := make([]uint64, n)
				for i := range spans {
					spans[i] = binary.LittleEndian.Uint64(wire[(i*8)%56:]) ^ uint64(i)
				}
				attrs := make([]uint32, 2+rng.Intn(4))
				for i := range attrs {
					attrs[i] = rng.Uint32()
				}
				d.accept(id, spans, services[rng.Intn(len(services))], attrs)
			}
		case <-report.C:
			d.mu.Lock()
			log.Printf("dedup: entries=%d fresh=%d dups=%d", len(d.seen), d.fresh, d.dups)
			d.mu.Unlock()
		}
	}
}
