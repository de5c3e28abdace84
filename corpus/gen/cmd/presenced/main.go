// presenced: online-presence service for a chat product. Every connected
// device registers a presence record in a table keyed by connection id;
// guest (anonymous widget) connections expire after a short TTL and are
// removed by a periodic sweep, signed-in connections stay until logout.
// At start-up all edge nodes reconnect at once (reconnect storm).
package main

import (
	"flag"
	"log"
	"math/rand"
	"sync"
	"time"

	"workloads/obs"
)

var (
	stormConns    = flag.Int("reconnect-storm", 800000, "connections registering during the start-up reconnect storm")
	stormSecs     = flag.Float64("storm-seconds", 6, "duration of the reconnect storm")
	guestShare    = flag.Float64("guest-share", 0.9, "fraction of storm connections that are anonymous guests")
	guestTTL      = flag.Duration("guest-ttl", 10*time.Second, "idle TTL of guest connections")
	sweepEvery    = flag.Duration("sweep-every", 5*time.Second, "expiry sweep interval")
	connsPerSec   = flag.Int("conns-per-sec", 3000, "signed-in connections per second after the storm")
	outboxBytes   = flag.Int("outbox-bytes", 1024, "per signed-in connection outbox buffer")
	heartbeats    = flag.Int("heartbeats-per-sec", 20000, "heartbeat frames per second")
)

var sink []byte

// heartbeat decodes one heartbeat frame and refreshes the connection.
func heartbeat(tb *table, id uint64, now int64) {
	frame := make([]byte, 512)
	copy(frame, "HB v=2 status=online")
	sink = frame
	if p, ok := tb.byConn[id]; ok {
		p.lastSeen = now
		tb.byConn[id] = p
	}
}

// presence is stored inline in the table (120 bytes, under the 128-byte
// limit for inline map values).
type presence struct {
	userID      uint64
	connectedAt int64
	lastSeen    int64
	expiresAt   int64
	node        uint16
	status      uint8
	guest       bool
	region      uint32
	device      [16]byte
	token       [32]byte
	outbox      []byte
}

type table struct {
	mu     sync.Mutex
	byConn map[uint64]presence
}

func main() {
	flag.Parse()
	obs.Start()
	tb := &table{byConn: make(map[uint64]presence)}
	rng := rand.New(rand.NewSource(5))
	start := time.Now()
	var registered, expired int64
	var stormDone int
	var acc, hbAcc float64
	recent := make([]uint64, 0, 100000)
	t := time.NewTicker(10 * time.Millisecond)
	sweep := time.NewTicker(*sweepEvery)
	report := time.NewTicker(5 * time.Second)
	add := func(now time.Time, guest bool) {
		p := presence{userID: rng.Uint64() >> 20, connectedAt: now.UnixNano(), lastSeen: now.UnixNano(),
			node: uint16(rng.Intn(64)), status: 1, guest: guest, region: uint32(rng.Intn(12))}
		rng.Read(p.token[:])
		if guest {
			p.expiresAt = now.Add(*guestTTL).UnixNano()
		} else {
			p.expiresAt = now.Add(8 * time.Hour).UnixNano()
			p.outbox = make([]byte, 0, *outboxBytes)
			p.outbox = append(p.outbox, "HELLO "...)
		}
		id := rng.Uint64()
		tb.byConn[id] = p
		if len(recent) < cap(recent) {
			recent = append(recent, id)
		} else {
			recent[rng.Intn(len(recent))] = id
		}
		registered++
	}
	for {
		select {
		case now := <-t.C:
			tb.mu.Lock()
			el := now.Sub(start).Seconds()
			if stormDone < *stormConns {
				target := int(float64(*stormConns) * el / *stormSecs)
				if target > *stormConns {
					target = *stormConns
				}
				for ; stormDone < target; stormDone++ {
					add(now, rng.Float64() < *guestShare)
				}
			}
			for acc += float64(*connsPerSec) / 100; acc >= 1; acc-- {
				add(now, false)
			}
			for hbAcc += float64(*heartbeats) / 100; hbAcc >= 1 && len(recent) > 0; hbAcc-- {
				heartbeat(tb, recent[rng.Intn(len(recent))], now.UnixNano())
			}
			tb.mu.Unlock()
		case now := <-sweep.C:
			tb.mu.Lock()
			n := 0
			for id, p := range tb.byConn {
				if p.expiresAt < now.UnixNano() {
					delete(tb.byConn, id)
					n++
				}
			}
			expired += int64(n)
			tb.mu.Unlock()
			log.Printf("sweep: expired %d connections", n)
		case <-report.C:
			tb.mu.Lock()
			log.Printf("registered=%d expired=%d online=%d", registered, expired, len(tb.byConn))
			tb.mu.Unlock()
		}
	}
}
