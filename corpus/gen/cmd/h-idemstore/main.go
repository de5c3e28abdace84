// idemstore: idempotency layer of a payments API. Every POST carries an
// Idempotency-Key (a UUID); the handler looks it up in a sync.Map and, on a
// miss, processes the payment and stores the key with its response record
// (status, timestamp, ~180-byte JSON response, request fingerprint) so that a
// client retry gets the same answer. A TTL sweeper was meant to delete keys
// older than 24 h, but it is started only when -sweep-every is set, which the
// deployment never does: every key stays in the sync.Map forever.
package main

import (
	"crypto/sha256"
	"expvar"
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
	rps        = flag.Int("rps", 6000, "payment requests per second")
	retryRatio = flag.Float64("retry-ratio", 0.1, "fraction of requests that are client retries of a recent key")
	respBytes  = flag.Int("resp-bytes", 180, "stored response body size")
	sweepEvery = flag.Duration("sweep-every", 0, "TTL sweep interval (0: never started)")
)

type idemRecord struct {
	status      int
	createdAt   time.Time
	fingerprint [32]byte
	response    []byte
	merchant    string
}

var keys sync.Map

func uuid(r *rand.Rand) string {
	var b [16]byte
	r.Read(b[:])
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func main() {
	flag.Parse()
	var stored, replayed, requests int64
	expvar.Publish("idempotency_keys", expvar.Func(func() any { return atomic.LoadInt64(&stored) }))
	expvar.Publish("replayed", expvar.Func(func() any { return atomic.LoadInt64(&replayed) }))
	expvar.Publish("requests", expvar.Func(func() any { return atomic.LoadInt64(&requests) }))
	obs.Start()
	if *sweepEvery > 0 {
		go func() {
			for range time.Tick(*sweepEvery) {
				cutoff := time.Now().Add(-24 * time.Hour)
				keys.Range(func(k, v any) bool {
					if v.(*idemRecord).createdAt.Before(cutoff) {
						keys.Delete(k)
					}
					return true
				})
			}
		}()
	}
	rng := rand.New(rand.NewSource(7))
	recent := make([]string, 4096)
	merchants := make([]string, 300)
	for i := range merchants {
		merchants[i] = fmt.Sprintf("merchant-%05d", i)
	}
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*rps) / 100
	var acc float64
	var n int
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				atomic.AddInt64(&requests, 1)
				var key string
				if rng.Float64() < *retryRatio && recent[n%len(recent)] != "" {
					key = recent[rng.Intn(len(recent))]
				} else {
					key = uuid(rng)
				}
				body := fmt.Sprintf(`{"amount":%d,"currency":"EUR","merchant":"%s","card":"tok_%x"}`, rng.Intn(100000), merchants[rng.Intn(len(merchants))], rng.Int63())
				if v, ok := keys.Load(key); ok {
					_ = v.(*idemRecord).response
					atomic.AddInt64(&replayed, 1)
					continue
				}
				resp := make([]byte, *respBytes)
				copy(resp, fmt.Sprintf(`{"id":"pay_%x","status":"captured","amount":%d}`, rng.Int63(), rng.Intn(100000)))
				rec := &idemRecord{status: 201, createdAt: time.Now(), fingerprint: sha256.Sum256([]byte(body)), response: resp, merchant: merchants[rng.Intn(len(merchants))]}
				if _, loaded := keys.LoadOrStore(key, rec); !loaded {
					atomic.AddInt64(&stored, 1)
				}
				recent[n%len(recent)] = key
				n++
			}
		case <-report.C:
			log.Printf("keys=%d replayed=%d", atomic.LoadInt64(&stored), atomic.LoadInt64(&replayed))
		}
	}
}
