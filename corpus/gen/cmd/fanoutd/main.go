// fanoutd: webhook fan-out. Events are appended to a per-endpoint batch
// buffer (newline-delimited JSON) and every flush interval each non-empty
// batch is POSTed to its endpoint and the buffer is reset for reuse.
// Occasionally an endpoint receives a large burst (a customer re-sync or a
// replay from the dead-letter queue).
package main

import (
	"flag"
	"hash/crc32"
	"log"
	"math"
	"math/rand"
	"strconv"
	"sync"
	"time"

	"workloads/obs"
)

var (
	endpoints      = flag.Int("endpoints", 3000, "webhook endpoints at start")
	newEndpoints   = flag.Float64("new-endpoints-per-sec", 4, "endpoints registered per second")
	eventsPerSec   = flag.Int("events-per-sec", 20000, "regular events per second")
	burstsPerSec   = flag.Float64("bursts-per-sec", 8, "large replay bursts per second (random endpoint)")
	burstMedianKiB = flag.Float64("burst-median-kib", 192, "median burst size (KiB), log-normal")
	flushEvery     = flag.Duration("flush-every", 50*time.Millisecond, "flush interval")
)

type endpoint struct {
	url     string
	batch   []byte
	events  int
	flushed int64
	crc     uint32
}

type fanout struct {
	mu   sync.Mutex
	eps  []*endpoint
	byID map[string]*endpoint
}

var kinds = []string{"invoice.paid", "invoice.created", "customer.updated", "subscription.renewed", "charge.refunded"}

func appendEvent(b []byte, rng *rand.Rand, seq int64) []byte {
	b = append(b, `{"id":"evt_`...)
	b = strconv.AppendInt(b, seq, 36)
	b = append(b, `","type":"`...)
	b = append(b, kinds[rng.Intn(len(kinds))]...)
	b = append(b, `","created":`...)
	b = strconv.AppendInt(b, time.Now().Unix(), 10)
	b = append(b, `,"data":{"object":{"amount":`...)
	b = strconv.AppendInt(b, int64(rng.Intn(100000)), 10)
	b = append(b, `,"currency":"eur","customer":"cus_`...)
	b = strconv.AppendUint(b, rng.Uint64(), 36)
	b = append(b, `","description":"monthly plan, seat based, billed in arrears"}}}`...)
	return append(b, '\n')
}

func (f *fanout) add(rng *rand.Rand) {
	ep := &endpoint{url: "https://hooks.customer-" + strconv.Itoa(len(f.eps)) + ".example/billing/webhook"}
	f.eps = append(f.eps, ep)
	f.byID[ep.url] = ep
}

func main() {
	flag.Parse()
	obs.Start()
	f := &fanout{byID: make(map[string]*endpoint)}
	rng := rand.New(rand.NewSource(21))
	for i := 0; i < *endpoints; i++ {
		f.add(rng)
	}
	var seq, posted, bursts int64
	var ea, ba, na float64
	t := time.NewTicker(10 * time.Millisecond)
	flush := time.NewTicker(*flushEvery)
	report := time.NewTicker(10 * time.Second)
	for {
		select {
		case <-t.C:
			f.mu.Lock()
			for na += *newEndpoints / 100; na >= 1; na-- {
				f.add(rng)
			}
			for ea += float64(*eventsPerSec) / 100; ea >= 1; ea-- {
				// skewed: low-numbered endpoints are the big customers
				i := int(float64(len(f.eps)) * math.Pow(rng.Float64(), 3))
				ep := f.eps[i]
				seq++
				ep.batch = appendEvent(ep.batch, rng, seq)
				ep.events++
			}
			for ba += *burstsPerSec / 100; ba >= 1; ba-- {
				ep := f.eps[rng.Intn(len(f.eps))]
				size := int(*burstMedianKiB * 1024 * math.Exp(rng.NormFloat64()*0.9))
				if size > 16<<20 {
					size = 16 << 20
				}
				target := len(ep.batch) + size
				for len(ep.batch) < target {
					seq++
					ep.batch = appendEvent(ep.batch, rng, seq)
					ep.events++
				}
				bursts++
			}
			f.mu.Unlock()
		case <-flush.C:
			f.mu.Lock()
			for _, ep := range f.eps {
				if len(ep.batch) == 0 {
					continue
				}
				ep.crc = crc32.ChecksumIEEE(ep.batch) // stands in for the POST
				ep.flushed += int64(ep.events)
				ep.events = 0
				ep.batch = ep.batch[:0]
				posted++
			}
			f.mu.Unlock()
		case <-report.C:
			f.mu.Lock()
			var capSum int
			for _, ep := range f.eps {
				capSum += cap(ep.batch)
			}
			log.Printf("endpoints=%d events=%d posts=%d bursts=%d", len(f.eps), seq, posted, bursts)
			_ = capSum
			f.mu.Unlock()
		}
	}
}
