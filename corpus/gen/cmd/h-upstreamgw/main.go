// upstreamgw: product-page aggregation gateway. Each incoming page request
// is served in its own goroutine, which fetches stock from the inventory
// backend and, for a fraction of products, a price override from the legacy
// pricing backend, over HTTP keep-alive connections. The gateway's
// http.Client has no Timeout and the requests carry no context deadline.
// The legacy pricing backend (a listener in this process, standing in for a
// hung upstream) accepts connections and reads the request but never answers:
// every request that calls it waits forever - its handler goroutine in
// Transport.roundTrip, plus the connection's readLoop (network wait, netpoll)
// and writeLoop goroutines, its bufio buffers, an fd on each side, and the
// request's decoded page model.
package main

import (
	"bufio"
	"expvar"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	rps        = flag.Int("rps", 400, "page requests per second")
	legacyFrac = flag.Float64("legacy-ratio", 0.1, "fraction of requests that need a legacy price override")
	modelBytes = flag.Int("model-bytes", 6144, "decoded page model kept by each request")
)

func main() {
	flag.Parse()
	var served, waiting, started int64
	expvar.Publish("served", expvar.Func(func() any { return atomic.LoadInt64(&served) }))
	expvar.Publish("upstream_waiting", expvar.Func(func() any { return atomic.LoadInt64(&waiting) }))
	expvar.Publish("started", expvar.Func(func() any { return atomic.LoadInt64(&started) }))
	obs.Start()

	// inventory backend: answers quickly
	invLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	inv := http.NewServeMux()
	inv.HandleFunc("/stock", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"sku":"%s","stock":%d,"warehouse":"fra-2"}`, r.URL.Query().Get("sku"), rand.Intn(500))
	})
	go http.Serve(invLn, inv)

	// legacy pricing backend: accepts, reads the request, never replies (hung upstream)
	legLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	var held []net.Conn
	var heldMu sync.Mutex
	go func() {
		for {
			c, err := legLn.Accept()
			if err != nil {
				return
			}
			heldMu.Lock()
			held = append(held, c)
			heldMu.Unlock()
		}
	}()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}} // no Timeout
	invURL := "http://" + invLn.Addr().String() + "/stock?sku="
	legURL := "http://" + legLn.Addr().String() + "/price-override?sku="

	handle := func(sku string, legacy bool, seed int64) {
		atomic.AddInt64(&started, 1)
		r := rand.New(rand.NewSource(seed))
		model := make([]byte, *modelBytes) // decoded page model
		r.Read(model)
		resp, err := client.Get(invURL + sku)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		if legacy {
			atomic.AddInt64(&waiting, 1)
			resp, err := client.Get(legURL + sku) // never returns: no timeout
			atomic.AddInt64(&waiting, -1)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		w := bufio.NewWriterSize(io.Discard, 4096)
		w.Write(model)
		w.Flush()
		atomic.AddInt64(&served, 1)
	}

	rng := rand.New(rand.NewSource(3))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*rps) / 100
	var acc float64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				go handle(fmt.Sprintf("SKU-%07d", rng.Intn(2000000)), rng.Float64() < *legacyFrac, rng.Int63())
			}
		case <-report.C:
			heldMu.Lock()
			h := len(held)
			heldMu.Unlock()
			log.Printf("served=%d waiting=%d legacy_conns=%d", atomic.LoadInt64(&served), atomic.LoadInt64(&waiting), h)
		}
	}
}
