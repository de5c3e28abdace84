// devlinkd: device link service for IoT gateways. Devices connect, send a few
// status updates and disconnect; each connection gets a session with a
// keepalive loop that pings the device on a ticker. A built-in client
// simulates device churn.
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
	connectsPS = flag.Int("connects-per-sec", 25, "new device connections per second")
	lifetime   = flag.Duration("session-lifetime", 2*time.Second, "mean connection lifetime")
	keepalive  = flag.Duration("keepalive", 500*time.Millisecond, "keepalive ping interval")
	stateBytes = flag.Int("state-bytes", 1024, "per-session state buffer")
	updates    = flag.Int("updates", 8, "status updates per connection")
)

type session struct {
	id     string
	device string
	state  []byte
	pings  int64
	last   time.Time
	mu     sync.Mutex
}

type registry struct {
	mu       sync.Mutex
	sessions map[string]*session
}

var pingsSent, connected, disconnected int64

// keepaliveLoop pings the device until stop is closed.
func keepaliveLoop(s *session, stop <-chan struct{}) {
	t := time.NewTicker(*keepalive)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			s.mu.Lock()
			frame := fmt.Sprintf("PING %s %d %d", s.id, s.pings, now.UnixNano())
			s.pings++
			copy(s.state, frame)
			s.mu.Unlock()
			atomic.AddInt64(&pingsSent, 1)
		case <-stop:
			return
		}
	}
}

func (r *registry) serveConnection(device string, rng *rand.Rand) {
	s := &session{id: fmt.Sprintf("sess-%d", rng.Int63()), device: device, state: make([]byte, *stateBytes), last: time.Now()}
	stop := make(chan struct{})
	r.mu.Lock()
	r.sessions[s.id] = s
	r.mu.Unlock()
	atomic.AddInt64(&connected, 1)
	go keepaliveLoop(s, stop)

	life := time.Duration(rng.Int63n(int64(*lifetime) * 2))
	step := life / time.Duration(*updates)
	for i := 0; i < *updates; i++ {
		time.Sleep(step)
		s.mu.Lock()
		copy(s.state[64:], fmt.Sprintf(`{"device":%q,"status":"online","battery":%d}`, device, 100-i))
		s.last = time.Now()
		s.mu.Unlock()
	}
	// disconnect
	r.mu.Lock()
	delete(r.sessions, s.id)
	r.mu.Unlock()
	atomic.AddInt64(&disconnected, 1)
}

func main() {
	flag.Parse()
	obs.Start()
	r := &registry{sessions: make(map[string]*session)}
	tick := time.NewTicker(time.Second / time.Duration(*connectsPS))
	n := 0
	last := time.Now()
	for range tick.C {
		n++
		go r.serveConnection(fmt.Sprintf("device-%06d", n%50000), rand.New(rand.NewSource(int64(n))))
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			r.mu.Lock()
			open := len(r.sessions)
			r.mu.Unlock()
			log.Printf("connected=%d disconnected=%d open_sessions=%d pings=%d", atomic.LoadInt64(&connected), atomic.LoadInt64(&disconnected), open, atomic.LoadInt64(&pingsSent))
		}
	}
}
