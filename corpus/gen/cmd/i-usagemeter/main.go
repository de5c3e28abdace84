// usagemeter: IoT usage metering. Usage events are aggregated per tenant and
// device in a map of maps, map[tenantID]map[deviceID]usageRow, where usageRow
// is an 80-byte struct stored inline in the inner map's buckets (no pointer
// per entry). There are only 40 tenants, so the outer map is tiny, but each
// tenant's inner map grows with every device that ever reported: devices are
// provisioned continuously (fleet rollouts, ephemeral device IDs after factory
// resets) and rows are only ever reset at billing close, never deleted. The
// inner maps' bucket arrays double as they grow (each growth allocates a new
// array twice the size and evacuates incrementally), so the heap climbs in
// steps. Request garbage: the decoded event batch.
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
	eventsPerSec = flag.Int("events-per-sec", 25000, "usage events per second")
	newRatio     = flag.Float64("new-device-ratio", 0.6, "fraction of events from a device never seen before")
	tenants      = flag.Int("tenants", 40, "tenants")
)

type usageRow struct {
	firstSeen int64
	lastSeen  int64
	events    uint64
	bytesUp   uint64
	bytesDown uint64
	msgs      uint32
	errors    uint32
	plan      uint16
	region    uint16
	fwMajor   uint16
	fwMinor   uint16
	lastRSSI  float64
	lastBatt  float64
}

func main() {
	flag.Parse()
	usage := make(map[uint32]map[uint64]usageRow)
	known := make([][]uint64, *tenants)
	var events, devices int64
	expvar.Publish("devices", expvar.Func(func() any { return atomic.LoadInt64(&devices) }))
	expvar.Publish("events", expvar.Func(func() any { return atomic.LoadInt64(&events) }))
	obs.Start()
	rng := rand.New(rand.NewSource(31))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*eventsPerSec) / 100
	var acc float64
	for {
		select {
		case <-tick.C:
			n := 0
			for acc += perTick; acc >= 1; acc-- {
				n++
			}
			batch := make([]byte, n*96) // decoded batch, garbage afterwards
			for i := 0; i < n; i++ {
				t := uint32(rng.Intn(*tenants))
				m := usage[t]
				if m == nil {
					m = make(map[uint64]usageRow)
					usage[t] = m
				}
				var dev uint64
				if len(known[t]) > 0 && rng.Float64() > *newRatio {
					dev = known[t][rng.Intn(len(known[t]))]
				} else {
					dev = rng.Uint64()
					if len(known[t]) < 2048 {
						known[t] = append(known[t], dev)
					} else {
						known[t][rng.Intn(2048)] = dev
					}
				}
				now := time.Now().UnixNano()
				r, ok := m[dev]
				if !ok {
					r.firstSeen = now
					r.plan = uint16(rng.Intn(12))
					r.region = uint16(rng.Intn(30))
					atomic.AddInt64(&devices, 1)
				}
				r.lastSeen = now
				r.events++
				r.bytesUp += uint64(batch[i*96] + 100)
				r.bytesDown += uint64(rng.Intn(4096))
				r.msgs++
				r.lastRSSI = -40 - rng.Float64()*60
				r.lastBatt = rng.Float64()
				m[dev] = r
				atomic.AddInt64(&events, 1)
			}
		case <-report.C:
			log.Printf("tenants=%d devices=%d events=%d", len(usage), atomic.LoadInt64(&devices), atomic.LoadInt64(&events))
		}
	}
}
