// ledgersync: keeps a local ledger in sync with the bank. A pool of posting
// workers applies incoming postings; every -import-every a statement import
// streams the latest statement file to an applier goroutine over a channel.
package main

import (
	"errors"
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
	workers      = flag.Int("workers", 24, "posting workers")
	postingsPS   = flag.Int("postings-per-sec", 2000, "postings per second")
	importEvery  = flag.Duration("import-every", 2*time.Second, "statement import period")
	badShare     = flag.Float64("malformed-share", 0.2, "share of statement files with a malformed line")
	stagingBytes = flag.Int("staging-bytes", 262144, "applier staging buffer")
	statementLen = flag.Int("statement-lines", 400, "lines per statement file")
)

type posting struct {
	account string
	cents   int64
	memo    string
}

type ledger struct {
	mu       sync.Mutex
	balances map[string]int64
}

func (l *ledger) apply(p posting) {
	l.mu.Lock()
	l.balances[p.account] += p.cents
	l.mu.Unlock()
}

type record struct {
	line  int
	ref   string
	cents int64
}

var applied, imports, importErrors int64

// applyStatement consumes records until the importer closes the stream.
func applyStatement(l *ledger, stream <-chan record, done chan<- int) {
	staging := make([]byte, 0, *stagingBytes)
	n := 0
	for rec := range stream {
		staging = append(staging, rec.ref...)
		l.apply(posting{account: "stmt-" + rec.ref[:6], cents: rec.cents})
		n++
	}
	done <- n
}

var errMalformed = errors.New("malformed statement line")

func parseLine(rng *rand.Rand, i int, bad int) (record, error) {
	if i == bad {
		return record{}, fmt.Errorf("line %d: %w", i, errMalformed)
	}
	return record{line: i, ref: fmt.Sprintf("%06d-%012d", rng.Intn(1000000), rng.Int63()), cents: int64(rng.Intn(100000) - 50000)}, nil
}

func importStatement(l *ledger, rng *rand.Rand) error {
	bad := -1
	if rng.Float64() < *badShare {
		bad = rng.Intn(*statementLen)
	}
	stream := make(chan record, 16)
	done := make(chan int, 1)
	go applyStatement(l, stream, done)
	for i := 0; i < *statementLen; i++ {
		rec, err := parseLine(rng, i, bad)
		if err != nil {
			return err
		}
		stream <- rec
	}
	close(stream)
	<-done
	return nil
}

func main() {
	flag.Parse()
	obs.Start()
	l := &ledger{balances: make(map[string]int64)}
	queue := make(chan posting, 256)
	for w := 0; w < *workers; w++ {
		go func() {
			for p := range queue {
				p.memo = fmt.Sprintf("%s|%d|%s", p.account, p.cents, p.memo)
				l.apply(p)
				atomic.AddInt64(&applied, 1)
			}
		}()
	}
	go func() {
		rng := rand.New(rand.NewSource(8))
		for range time.Tick(*importEvery) {
			atomic.AddInt64(&imports, 1)
			if err := importStatement(l, rng); err != nil {
				atomic.AddInt64(&importErrors, 1)
				log.Printf("statement import failed: %v", err)
			}
		}
	}()
	go func() {
		for range time.Tick(10 * time.Second) {
			l.mu.Lock()
			n := len(l.balances)
			l.mu.Unlock()
			log.Printf("applied=%d accounts=%d imports=%d import_errors=%d", atomic.LoadInt64(&applied), n, atomic.LoadInt64(&imports), atomic.LoadInt64(&importErrors))
		}
	}()
	rng := rand.New(rand.NewSource(9))
	perTick := *postingsPS / 100
	for range time.Tick(10 * time.Millisecond) {
		for i := 0; i < perTick; i++ {
			queue <- posting{account: fmt.Sprintf("acct-%05d", rng.Intn(20000)), cents: int64(rng.Intn(20000) - 10000), memo: "card"}
		}
	}
}
