// wsframes: WebSocket push gateway. Every client connection keeps a reusable
// slice of frame pointers, pending []*frame, into which the reader collects
// the frames of one message; after the message is dispatched the slice is
// reset with pending = pending[:0] "to reuse the allocation". Resetting the
// length does not clear the elements: slots beyond len still point to the
// frames of earlier, longer messages. Every new connection starts with an
// initial-sync message of 8-24 frames of 16 KiB; afterwards its messages are
// 1-2 small frames, which overwrite only the first slots, so the 16 KiB frames
// of the initial sync stay reachable from the slice's capacity for the life of
// the connection. Connections are long-lived (10 new clients/s, none leave
// within the window); the connection state itself is ~1 KiB.
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
	connsPerSec = flag.Int("conns-per-sec", 10, "new client connections per second")
	syncMin     = flag.Int("sync-min-frames", 8, "frames of the initial-sync message (min)")
	syncMax     = flag.Int("sync-max-frames", 24, "frames of the initial-sync message (max)")
	frameKB     = flag.Int("frame-kb", 16, "initial-sync frame size (KiB)")
	msgEvery    = flag.Duration("msg-every", time.Second, "interval between a connection's later messages")
)

type frame struct {
	opcode  uint8
	fin     bool
	payload []byte
}

type conn struct {
	id      uint64
	user    string
	topics  []string
	pending []*frame // reused with pending = pending[:0]
	nextMsg time.Time
	msgs    uint64
	scratch [512]byte
}

func readFrame(rng *rand.Rand, size int) *frame {
	f := &frame{opcode: 2, payload: make([]byte, size)}
	rng.Read(f.payload[:64])
	for i := 64; i < size; i += 512 {
		f.payload[i] = byte(i)
	}
	return f
}

func dispatch(c *conn) int {
	n := 0
	for _, f := range c.pending {
		n += len(f.payload)
	}
	c.msgs++
	return n
}

func main() {
	flag.Parse()
	var conns []*conn
	var messages, syncFrames int64
	expvar.Publish("connections", expvar.Func(func() any { return len(conns) }))
	expvar.Publish("messages", expvar.Func(func() any { return atomic.LoadInt64(&messages) }))
	expvar.Publish("sync_frames", expvar.Func(func() any { return atomic.LoadInt64(&syncFrames) }))
	obs.Start()
	rng := rand.New(rand.NewSource(83))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*connsPerSec) / 100
	var acc float64
	var id uint64
	for {
		select {
		case now := <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				id++
				c := &conn{id: id, user: "user-" + string(rune('a'+rng.Intn(26))), topics: []string{"orders", "prices"}, nextMsg: now.Add(*msgEvery)}
				// initial sync: one long message
				nf := *syncMin + rng.Intn(*syncMax-*syncMin+1)
				for i := 0; i < nf; i++ {
					c.pending = append(c.pending, readFrame(rng, *frameKB<<10))
				}
				dispatch(c)
				c.pending = c.pending[:0]
				conns = append(conns, c)
				atomic.AddInt64(&syncFrames, int64(nf))
				atomic.AddInt64(&messages, 1)
			}
			for _, c := range conns {
				if now.Before(c.nextMsg) {
					continue
				}
				c.nextMsg = now.Add(*msgEvery)
				nf := 1 + rng.Intn(2)
				for i := 0; i < nf; i++ {
					c.pending = append(c.pending, readFrame(rng, 256+rng.Intn(1792)))
				}
				dispatch(c)
				c.pending = c.pending[:0]
				atomic.AddInt64(&messages, 1)
			}
		case <-report.C:
			log.Printf("connections=%d messages=%d sync_frames=%d", len(conns), atomic.LoadInt64(&messages), atomic.LoadInt64(&syncFrames))
		}
	}
}
