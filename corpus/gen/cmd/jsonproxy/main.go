// jsonproxy: API aggregation proxy. For every client request it fans out to
// backends (simulated), decodes their JSON payloads, merges and re-encodes a
// response. Everything per request is short-lived; the only long-lived state
// is the route table and backend config.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"math/rand"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	rps       = flag.Int("rps", 6000, "requests per second")
	workers   = flag.Int("workers", 2, "worker goroutines")
	payloadKB = flag.Int("payload-kib", 24, "mean backend payload size (KiB)")
	routes    = flag.Int("routes", 200000, "route table entries")
)

// route is a flat, pointer-free route table entry.
type route struct {
	prefix   [48]byte
	plen     uint8
	backends [2]uint32
	timeout  time.Duration
}

type item struct {
	ID    int64             `json:"id"`
	Name  string            `json:"name"`
	Price float64           `json:"price"`
	Tags  []string          `json:"tags"`
	Attrs map[string]string `json:"attrs"`
}

var table []route
var handled int64
var sinkB atomic.Value

func handle(rng *rand.Rand, sample []byte) {
	// raw backend payloads (read buffers)
	n := (*payloadKB << 10) / 2
	raw := make([]byte, n+rng.Intn(2*n))
	copy(raw, sample)
	raw2 := make([]byte, len(raw)/2)
	copy(raw2, raw)
	// decoded view of a small part
	var items []item
	_ = json.Unmarshal(sample, &items)
	r := &table[rng.Intn(len(table))]
	out := make([]byte, 0, len(raw)/4)
	out = append(out, `{"route":"`...)
	out = append(out, r.prefix[:r.plen]...)
	out = append(out, `","items":`...)
	enc, _ := json.Marshal(items)
	out = append(out, enc...)
	out = append(out, '}')
	sinkB.Store(out)
	atomic.AddInt64(&handled, 1)
}

func main() {
	flag.Parse()
	obs.Start()
	table = make([]route, *routes)
	for i := range table {
		p := "/api/v1/r" + strconv.Itoa(i)
		table[i].plen = uint8(copy(table[i].prefix[:], p))
		table[i].backends = [2]uint32{10<<24 | uint32(i%250)<<8 | 1, 10<<24 | uint32(i%250)<<8 | 2}
		table[i].timeout = time.Second
	}
	its := make([]item, 4)
	for i := range its {
		its[i] = item{ID: int64(i), Name: "widget " + strconv.Itoa(i), Price: 9.99, Tags: []string{"a", "b"}, Attrs: map[string]string{"color": "red"}}
	}
	sample, _ := json.Marshal(its)
	for w := 0; w < *workers; w++ {
		go func(seed int64) {
			rng := rand.New(rand.NewSource(seed))
			per := float64(*rps) / float64(*workers) / 100
			var acc float64
			for range time.Tick(10 * time.Millisecond) {
				for acc += per; acc >= 1; acc-- {
					handle(rng, sample)
				}
			}
		}(int64(w))
	}
	var ms runtime.MemStats
	for range time.Tick(10 * time.Second) {
		runtime.ReadMemStats(&ms)
		log.Printf("handled=%d gc=%d", atomic.LoadInt64(&handled), ms.NumGC)
	}
}
