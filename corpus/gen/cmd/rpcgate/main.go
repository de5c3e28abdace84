// rpcgate: a gateway that multiplexes calls to an inventory backend over one
// pipelined connection. Each call registers a response channel under its
// request id in the pending table, writes the request frame, and waits for
// the demultiplexer to hand it the matching response.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	rps            = flag.Int("rps", 200, "calls per second")
	invalidShare   = flag.Float64("invalidate-share", 0.05, "share of calls that are cache.invalidate")
	backendDelay   = flag.Duration("backend-delay", 3*time.Millisecond, "backend processing time")
	payloadBytes   = flag.Int("payload-bytes", 1024, "request payload size")
	backendWorkers = flag.Int("backend-workers", 8, "backend worker goroutines")
)

type request struct {
	id      uint64
	method  string
	payload []byte
}

type response struct {
	id     uint64
	status int
	body   []byte
}

type conn struct {
	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan *response
	out     chan *request
	in      chan *response
}

func (c *conn) call(method string, payload []byte) *response {
	ch := make(chan *response, 1)
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()
	c.out <- &request{id: id, method: method, payload: payload}
	return <-ch
}

// demux routes backend responses to the waiting callers.
func (c *conn) demux() {
	for resp := range c.in {
		c.mu.Lock()
		ch := c.pending[resp.id]
		delete(c.pending, resp.id)
		c.mu.Unlock()
		if ch != nil {
			ch <- resp
		}
	}
}

// backend simulates the inventory service at the other end of the connection.
func backend(c *conn) {
	for req := range c.out {
		time.Sleep(*backendDelay)
		switch req.method {
		case "cache.invalidate":
			// the backend treats invalidations as one-way notifications
			continue
		default:
			c.in <- &response{id: req.id, status: 200, body: []byte(fmt.Sprintf(`{"sku":"%x","on_hand":%d}`, req.payload[:8], req.id%97))}
		}
	}
}

var calls, answered int64

func main() {
	flag.Parse()
	obs.Start()
	c := &conn{pending: make(map[uint64]chan *response), out: make(chan *request, 1024), in: make(chan *response, 1024)}
	go c.demux()
	for i := 0; i < *backendWorkers; i++ {
		go backend(c)
	}
	go func() {
		for range time.Tick(10 * time.Second) {
			c.mu.Lock()
			p := len(c.pending)
			c.mu.Unlock()
			log.Printf("calls=%d answered=%d pending=%d", atomic.LoadInt64(&calls), atomic.LoadInt64(&answered), p)
		}
	}()
	rng := rand.New(rand.NewSource(3))
	tick := time.NewTicker(time.Second / time.Duration(*rps))
	for range tick.C {
		method := "inventory.get"
		if rng.Float64() < *invalidShare {
			method = "cache.invalidate"
		}
		payload := make([]byte, *payloadBytes)
		rng.Read(payload)
		atomic.AddInt64(&calls, 1)
		go func() {
			resp := c.call(method, payload)
			if resp.status == 200 {
				atomic.AddInt64(&answered, 1)
			}
		}()
	}
}
