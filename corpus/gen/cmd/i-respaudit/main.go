// respaudit: API gateway response recorder. Every response is rendered as JSON
// into a fresh bytes.Buffer (which grows by doubling from its small initial
// size, so its final backing array is up to ~2x the 16-96 KiB body). For the
// compliance audit trail the recorder keeps a 64-byte preview of each
// response, taken as buf.Bytes()[:64]: a sub-slice that shares the buffer's
// backing array, so every 64-byte preview keeps the whole rendered body
// buffer (32-192 KiB) reachable. Previews are retained for 24 h, so within
// the window nothing is released.
package main

import (
	"bytes"
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
	rps        = flag.Int("rps", 50, "rendered responses per second")
	minKB      = flag.Int("min-kb", 16, "response body size (min KiB)")
	maxKB      = flag.Int("max-kb", 96, "response body size (max KiB)")
	previewLen = flag.Int("preview", 64, "bytes of each response kept in the audit trail")
)

type auditEntry struct {
	at      int64
	route   uint16
	status  uint16
	preview []byte // buf.Bytes()[:64]
}

func render(rng *rand.Rand, size int) *bytes.Buffer {
	var buf bytes.Buffer
	buf.WriteString(`{"status":"ok","request_id":"`)
	buf.WriteString(strconv.FormatUint(rng.Uint64(), 16))
	buf.WriteString(`","items":[`)
	for buf.Len() < size {
		buf.WriteString(`{"sku":"`)
		buf.WriteString(strconv.Itoa(rng.Intn(1e7)))
		buf.WriteString(`","name":"Item description text for the catalogue entry","price":`)
		buf.WriteString(strconv.Itoa(rng.Intn(100000)))
		buf.WriteString(`,"stock":`)
		buf.WriteString(strconv.Itoa(rng.Intn(500)))
		buf.WriteString(`},`)
	}
	buf.WriteString(`{}]}`)
	return &buf
}

func main() {
	flag.Parse()
	var trail []auditEntry
	var rendered, bodyBytes int64
	expvar.Publish("audit_entries", expvar.Func(func() any { return atomic.LoadInt64(&rendered) }))
	expvar.Publish("body_bytes", expvar.Func(func() any { return atomic.LoadInt64(&bodyBytes) }))
	obs.Start()
	rng := rand.New(rand.NewSource(37))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*rps) / 100
	var acc float64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				size := (*minKB + rng.Intn(*maxKB-*minKB+1)) << 10
				buf := render(rng, size)
				// the response is written to the client (not modelled) and
				// a preview kept for the audit trail - without a copy
				trail = append(trail, auditEntry{at: time.Now().UnixNano(), route: uint16(rng.Intn(300)), status: 200, preview: buf.Bytes()[:*previewLen]})
				atomic.AddInt64(&rendered, 1)
				atomic.AddInt64(&bodyBytes, int64(buf.Len()))
			}
		case <-report.C:
			log.Printf("audit_entries=%d body_bytes=%d", len(trail), atomic.LoadInt64(&bodyBytes))
		}
	}
}
