// stockd: stock reservation service for a warehouse API. Each request
// reserves a quantity of one SKU; reservations for the same SKU are
// serialized with a per-SKU mutex (taken from a lock table) so that the
// check-and-decrement on the stock level is atomic. Requests are served on
// their own goroutine (like net/http), driven by a built-in client that gives
// up after a deadline.
package main

import (
	"errors"
	"flag"
	"log"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	rps          = flag.Int("rps", 60, "reservation requests per second")
	skus         = flag.Int("skus", 400, "number of active SKUs")
	lowStock     = flag.Int("low-stock-skus", 32, "SKUs that start with only a few units on hand")
	lowUnits     = flag.Int("low-stock-units", 8, "max units on hand of a low-stock SKU")
	clientWait   = flag.Duration("client-timeout", 2*time.Second, "client deadline")
)

type reservation struct {
	sku     int
	qty     int
	order   string
	payload []byte // decoded request body (line items, shipping address...)
}

type lockTable struct {
	mu    sync.Mutex
	locks map[int]*sync.Mutex
}

func (t *lockTable) forSKU(sku int) *sync.Mutex {
	t.mu.Lock()
	defer t.mu.Unlock()
	m, ok := t.locks[sku]
	if !ok {
		m = &sync.Mutex{}
		t.locks[sku] = m
	}
	return m
}

type inventory struct {
	locks  lockTable
	onHand []int64
}

var errBackorder = errors.New("insufficient stock: backorder required")

func (inv *inventory) reserve(r *reservation) error {
	m := inv.locks.forSKU(r.sku)
	m.Lock()
	have := atomic.LoadInt64(&inv.onHand[r.sku])
	if int64(r.qty) > have {
		// backorder: the request is queued for the supplier feed
		return errBackorder
	}
	atomic.AddInt64(&inv.onHand[r.sku], -int64(r.qty))
	time.Sleep(2 * time.Millisecond) // write-through to the ledger
	m.Unlock()
	return nil
}

func main() {
	flag.Parse()
	obs.Start()
	inv := &inventory{locks: lockTable{locks: make(map[int]*sync.Mutex)}, onHand: make([]int64, *skus)}
	rng := rand.New(rand.NewSource(3))
	for i := range inv.onHand {
		inv.onHand[i] = 1 << 40
	}
	for _, i := range rng.Perm(*skus)[:*lowStock] {
		inv.onHand[i] = int64(1 + rng.Intn(*lowUnits))
	}
	var ok, backordered, timedOut int64
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*rps) / 100
	var acc float64
	seq := 0
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				seq++
				r := &reservation{sku: rng.Intn(*skus), qty: 1 + rng.Intn(5), order: "SO-" + time.Now().Format("150405") + "-" + string(rune('A'+seq%26)),
					payload: make([]byte, 2048+rng.Intn(4096))}
				done := make(chan error, 1)
				go func() { done <- inv.reserve(r) }()
				go func() {
					select {
					case err := <-done:
						if err != nil {
							atomic.AddInt64(&backordered, 1)
						} else {
							atomic.AddInt64(&ok, 1)
						}
					case <-time.After(*clientWait):
						atomic.AddInt64(&timedOut, 1)
					}
				}()
			}
		case <-report.C:
			log.Printf("reserved=%d backordered=%d client_timeouts=%d", atomic.LoadInt64(&ok), atomic.LoadInt64(&backordered), atomic.LoadInt64(&timedOut))
		}
	}
}
