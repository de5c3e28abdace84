// batchscore: fraud-scoring batch worker. Every -every seconds it pulls a
// batch of transactions (decoded into structs with feature vectors, ~45 MiB),
// scores them against a small read-only model (~12 MiB, loaded at start),
// writes the scores out and drops the batch. The heap saws up with every batch
// and back down after the next GC; the batch size is fixed, so every peak is
// the same height: no trend, far below the limit.
package main

import (
	"expvar"
	"flag"
	"log"
	"math"
	"math/rand"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	batchSize = flag.Int("batch", 220000, "transactions per batch")
	every     = flag.Duration("every", 6*time.Second, "batch interval")
	features  = flag.Int("features", 24, "features per transaction")
)

type txn struct {
	id       uint64
	account  string
	merchant string
	amount   float64
	features []float32
	score    float64
}

func main() {
	flag.Parse()
	rng := rand.New(rand.NewSource(17))
	model := make([][]float32, 64)
	for i := range model {
		model[i] = make([]float32, 48000)
		for j := range model[i] {
			model[i][j] = rng.Float32()
		}
	}
	var batches, scored int64
	expvar.Publish("batches", expvar.Func(func() any { return atomic.LoadInt64(&batches) }))
	expvar.Publish("scored", expvar.Func(func() any { return atomic.LoadInt64(&scored) }))
	obs.Start()
	accounts := []string{"acct-a", "acct-b", "acct-c", "acct-d"}
	t := time.NewTicker(*every)
	for {
		batch := make([]*txn, *batchSize)
		for i := range batch {
			f := make([]float32, *features)
			for j := range f {
				f[j] = rng.Float32()
			}
			batch[i] = &txn{id: rng.Uint64(), account: accounts[rng.Intn(4)], merchant: accounts[rng.Intn(4)], amount: rng.Float64() * 900, features: f}
		}
		var hi int
		for _, tx := range batch {
			s := 0.0
			row := model[tx.id%64]
			for j, v := range tx.features {
				s += float64(v * row[(uint64(j)*97+tx.id)%uint64(len(row))])
			}
			tx.score = 1 / (1 + math.Exp(-s+6))
			if tx.score > 0.9 {
				hi++
			}
		}
		atomic.AddInt64(&batches, 1)
		atomic.AddInt64(&scored, int64(len(batch)))
		log.Printf("batch %d scored %d flagged %d", atomic.LoadInt64(&batches), len(batch), hi)
		batch = nil
		<-t.C
	}
}
