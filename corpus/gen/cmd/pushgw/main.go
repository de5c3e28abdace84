// pushgw: push-notification gateway. At start it opens one session goroutine
// per downstream device connection (fixed pool from the connection
// registry); each session waits on its channel for notifications, frames and
// "writes" them, and otherwise stays parked.
package main

import (
	"flag"
	"log"
	"math/rand"
	"strconv"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	sessions   = flag.Int("sessions", 5000, "device sessions (goroutines) opened at start")
	notifsPer  = flag.Int("notifications-per-sec", 3000, "notifications per second")
	frameBytes = flag.Int("frame-bytes", 1024, "per-session frame buffer")
)

type notification struct {
	topic string
	body  []byte
}

var written int64

type conn struct {
	id    int
	in    chan notification
	frame []byte
	sent  int64
}

func (c *conn) encode(depth int, n notification) int {
	// nested framing (TLS record -> HTTP/2 frame -> payload) uses some stack
	var hdr [256]byte
	hdr[0] = byte(depth)
	if depth > 0 {
		return c.encode(depth-1, n) + int(hdr[depth])
	}
	c.frame = append(c.frame[:0], n.topic...)
	c.frame = append(c.frame, n.body...)
	return len(c.frame)
}

func (c *conn) serve() {
	for n := range c.in {
		atomic.AddInt64(&written, int64(c.encode(6, n)))
		c.sent++
	}
}

var topics = []string{"orders", "chat", "promo", "security", "shipping"}

func main() {
	flag.Parse()
	obs.Start()
	conns := make([]*conn, *sessions)
	for i := range conns {
		c := &conn{id: i, in: make(chan notification, 4), frame: make([]byte, 0, *frameBytes)}
		conns[i] = c
		go c.serve()
	}
	log.Printf("opened %d device sessions", len(conns))
	rng := rand.New(rand.NewSource(37))
	var sent int64
	var acc float64
	t := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	for {
		select {
		case <-t.C:
			for acc += float64(*notifsPer) / 100; acc >= 1; acc-- {
				c := conns[rng.Intn(len(conns))]
				body := []byte(`{"alert":"Your order ` + strconv.Itoa(rng.Intn(1000000)) + ` has shipped","badge":1}`)
				select {
				case c.in <- notification{topic: topics[rng.Intn(len(topics))], body: body}:
					sent++
				default:
				}
			}
		case <-report.C:
			log.Printf("sessions=%d sent=%d written_bytes=%d", len(conns), sent, atomic.LoadInt64(&written))
		}
	}
}
