// bookarchive: market-data replay archive. Every order-book snapshot the
// matching engine publishes is decoded into a *bookSnapshot (a fixed 40-level
// depth array stored inline in the struct, ~1.7 KiB, plus the 8-40 trades
// since the previous snapshot) and stored in map[int64]*bookSnapshot keyed by
// its sequence number "so that clients can replay from any sequence". The
// archive was meant to be trimmed by a nightly compaction job that this
// deployment never runs, so every snapshot stays in the map: ~2-3 KiB per
// snapshot, a few MiB/s. Request garbage: the wire frame each snapshot is
// decoded from.
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
	snapsPerSec = flag.Int("snaps-per-sec", 1500, "snapshots archived per second")
	minTrades   = flag.Int("min-trades", 8, "trades per snapshot (min)")
	maxTrades   = flag.Int("max-trades", 40, "trades per snapshot (max)")
	replayRPS   = flag.Int("replay-rps", 200, "replay lookups per second")
)

type level struct {
	price  int64
	qty    int64
	orders int32
	flags  uint32
	venue  [16]byte
}

type trade struct {
	price int64
	qty   int64
	ts    int64
	aggr  uint8
	_     [7]byte
}

type bookSnapshot struct {
	seq        int64
	instrument uint32
	ts         int64
	bids       [20]level
	asks       [20]level
	trades     []trade
	checksum   uint64
}

func main() {
	flag.Parse()
	archive := make(map[int64]*bookSnapshot)
	var stored, replays int64
	expvar.Publish("archived_snapshots", expvar.Func(func() any { return atomic.LoadInt64(&stored) }))
	expvar.Publish("replays", expvar.Func(func() any { return atomic.LoadInt64(&replays) }))
	obs.Start()
	rng := rand.New(rand.NewSource(17))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*snapsPerSec) / 100
	perTickReplay := float64(*replayRPS) / 100
	var acc, accR float64
	var seq int64 = 1_000_000
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				// the wire frame (garbage once decoded)
				nt := *minTrades + rng.Intn(*maxTrades-*minTrades+1)
				frame := make([]byte, 40*40+nt*32+64)
				rng.Read(frame[:64])
				seq++
				s := &bookSnapshot{seq: seq, instrument: uint32(rng.Intn(4000)), ts: time.Now().UnixNano()}
				mid := int64(10000 + rng.Intn(500))
				for i := range s.bids {
					s.bids[i] = level{price: mid - int64(i), qty: int64(rng.Intn(5000)), orders: int32(1 + rng.Intn(40))}
					s.asks[i] = level{price: mid + 1 + int64(i), qty: int64(rng.Intn(5000)), orders: int32(1 + rng.Intn(40))}
					s.bids[i].venue[0], s.asks[i].venue[0] = frame[i%64], frame[(i+7)%64]
				}
				s.trades = make([]trade, nt)
				for i := range s.trades {
					s.trades[i] = trade{price: mid + int64(rng.Intn(3)-1), qty: int64(1 + rng.Intn(900)), ts: s.ts - int64(rng.Intn(1e6)), aggr: uint8(rng.Intn(2))}
				}
				s.checksum = uint64(len(frame)) ^ uint64(seq)
				archive[seq] = s
				atomic.AddInt64(&stored, 1)
			}
			for accR += perTickReplay; accR >= 1; accR-- {
				from := seq - int64(rng.Intn(int(seq-1_000_000)+1))
				n := 0
				for q := from; q < from+20; q++ {
					if s, ok := archive[q]; ok {
						n += len(s.trades)
					}
				}
				out := make([]byte, 256+n*8)
				out[0] = byte(n)
				atomic.AddInt64(&replays, 1)
			}
		case <-report.C:
			log.Printf("archived=%d replays=%d", len(archive), atomic.LoadInt64(&replays))
		}
	}
}
