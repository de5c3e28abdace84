// reconciler: ledger reconciliation job. It loads the day's ledger entries
// from both sides (bank statement and internal ledger), matches them, keeps
// the per-account summary and the unmatched entries, drops the working set
// (and runs a GC to get rid of it) and then serves the result to the
// reporting frontend until the next run.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"runtime"
	"time"

	"workloads/obs"
)

var (
	entries     = flag.Int("entries", 1400000, "ledger entries per side")
	memoBytes   = flag.Int("memo-bytes", 96, "average memo size")
	accounts    = flag.Int("accounts", 200000, "accounts in the summary")
	unmatched   = flag.Int("unmatched-one-in", 40, "about one entry in N stays unmatched")
	queryRPS    = flag.Int("query-rps", 500, "report queries per second after the run")
	startDelay  = flag.Duration("start-delay", 2*time.Second, "delay before the run starts")
)

type entry struct {
	id      string
	account uint32
	cents   int64
	booked  int64
	memo    []byte
	ref     string
}

type summary struct {
	account   uint32
	debit     int64
	credit    int64
	count     int32
	lastEntry int64
	name      string
}

func load(rng *rand.Rand, side string) map[string]*entry {
	m := make(map[string]*entry, *entries)
	for i := 0; i < *entries; i++ {
		e := &entry{id: fmt.Sprintf("%s-%09d", side, i), account: uint32(rng.Intn(*accounts)), cents: rng.Int63n(1000000) - 500000,
			booked: int64(i), memo: make([]byte, *memoBytes/2+rng.Intn(*memoBytes)), ref: fmt.Sprintf("REF%010d", i)}
		for j := range e.memo {
			e.memo[j] = byte('A' + j%26)
		}
		m[e.ref] = e
	}
	return m
}

func main() {
	flag.Parse()
	obs.Start()
	time.Sleep(*startDelay)
	rng := rand.New(rand.NewSource(3))
	t0 := time.Now()
	bank := load(rng, "bank")
	ledger := load(rng, "gl")
	log.Printf("loaded %d+%d entries in %v", len(bank), len(ledger), time.Since(t0))

	sums := make([]*summary, *accounts)
	for i := range sums {
		sums[i] = &summary{account: uint32(i), name: fmt.Sprintf("ACC-%07d", i)}
	}
	var open []*entry
	for ref, b := range bank {
		l := ledger[ref]
		s := sums[b.account]
		s.count++
		if b.cents < 0 {
			s.debit += -b.cents
		} else {
			s.credit += b.cents
		}
		s.lastEntry = b.booked
		if l == nil || rng.Intn(*unmatched) == 0 {
			// copy: the report must not keep the working set alive
			open = append(open, &entry{id: b.id, account: b.account, cents: b.cents, booked: b.booked, ref: b.ref, memo: append([]byte(nil), b.memo...)})
		}
	}
	bank, ledger = nil, nil
	runtime.GC()
	log.Printf("reconciled in %v: %d accounts, %d unmatched", time.Since(t0), len(sums), len(open))

	perTick := *queryRPS / 100
	if perTick < 1 {
		perTick = 1
	}
	var sink string
	last := time.Now()
	var served int64
	for range time.Tick(10 * time.Millisecond) {
		for i := 0; i < perTick; i++ {
			s := sums[rng.Intn(len(sums))]
			sink = fmt.Sprintf(`{"account":%q,"debit":%d,"credit":%d,"n":%d}`, s.name, s.debit, s.credit, s.count)
			if len(open) > 0 && rng.Intn(10) == 0 {
				e := open[rng.Intn(len(open))]
				sink = fmt.Sprintf(`{"ref":%q,"cents":%d,"memo":%q}`, e.ref, e.cents, e.memo)
			}
			served++
		}
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			log.Printf("served=%d", served)
		}
	}
	_ = sink
}
