// featstore: an online feature store for ranking models. Entity metadata is
// loaded at start; scoring requests fetch feature rows for a batch of
// entities and compute model scores. After -backfill-after, the nightly
// backfill streams historical feature rows into the row cache until it holds
// -row-cache-mb.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	entities      = flag.Int("entities", 250000, "entities with metadata loaded at start")
	rps           = flag.Int("rps", 4000, "scoring requests per second")
	batch         = flag.Int("batch", 24, "entities scored per request")
	dims          = flag.Int("dims", 48, "feature vector dimensions")
	backfillAfter = flag.Duration("backfill-after", 40*time.Second, "start of the backfill")
	backfillMBps  = flag.Int("backfill-mb-per-sec", 12, "backfill ingest rate (MiB/s of rows)")
	rowCacheMB    = flag.Int("row-cache-mb", 140, "row cache capacity (MiB)")
	requestBytes  = flag.Int("request-bytes", 4096, "decoded request body size")
)

type entity struct {
	id       int64
	kind     string
	name     string
	segments []string
}

type row struct {
	entity  *entity
	version int64
	values  []float32
	source  string
}

type store struct {
	mu       sync.RWMutex
	entities []*entity
	rows     map[int64]*row
	rowBytes int64
}

func (s *store) load(rng *rand.Rand) {
	for i := 0; i < *entities; i++ {
		s.entities = append(s.entities, &entity{id: int64(i), kind: []string{"item", "user", "seller"}[i%3], name: "ent-" + strconv.Itoa(i) + "-" + strconv.FormatInt(rng.Int63(), 36),
			segments: []string{"seg" + strconv.Itoa(i%64), "geo" + strconv.Itoa(i%12), "tier" + strconv.Itoa(i%5)}})
	}
}

func rowSize() int64 { return int64(*dims*4 + 112) }

func (s *store) backfill(rng *rand.Rand) {
	limit := int64(*rowCacheMB) << 20
	perTick := int64(*backfillMBps<<20) / rowSize() / 100
	var next int64
	for range time.Tick(10 * time.Millisecond) {
		s.mu.Lock()
		for i := int64(0); i < perTick && s.rowBytes < limit; i++ {
			r := &row{entity: s.entities[int(next)%len(s.entities)], version: next, values: make([]float32, *dims), source: "hist-" + strconv.FormatInt(next, 10)}
			for d := range r.values {
				r.values[d] = rng.Float32()
			}
			s.rows[next] = r
			next++
			s.rowBytes += rowSize()
		}
		full := s.rowBytes >= limit
		s.mu.Unlock()
		if full {
			log.Printf("backfill complete: rows=%d", next)
			return
		}
	}
}

var scored int64

func (s *store) score(rng *rand.Rand, weights []float32) string {
	body := make([]byte, *requestBytes)
	rng.Read(body[:128])
	scores := make([]float64, *batch)
	vec := make([]float32, *dims)
	s.mu.RLock()
	n := int64(len(s.rows))
	for b := range scores {
		e := s.entities[rng.Intn(len(s.entities))]
		if n > 0 {
			if r := s.rows[rng.Int63n(n)]; r != nil {
				copy(vec, r.values)
			}
		} else {
			for d := range vec {
				vec[d] = float32(len(e.name)%7) / 7
			}
		}
		for d, w := range weights {
			scores[b] += float64(w * vec[d])
		}
	}
	s.mu.RUnlock()
	return fmt.Sprintf(`{"scores":%v,"req":"%x"}`, scores, body[:8])
}

func main() {
	flag.Parse()
	obs.Start()
	rng := rand.New(rand.NewSource(77))
	s := &store{rows: make(map[int64]*row)}
	s.load(rng)
	log.Printf("entities loaded: %d", len(s.entities))
	time.AfterFunc(*backfillAfter, func() {
		log.Printf("backfill started")
		s.backfill(rand.New(rand.NewSource(78)))
	})
	weights := make([]float32, *dims)
	for i := range weights {
		weights[i] = rng.Float32()
	}
	for w := 0; w < 2; w++ {
		go func(w int) {
			r := rand.New(rand.NewSource(int64(w)))
			per := *rps / 2 / 100
			for range time.Tick(10 * time.Millisecond) {
				for i := 0; i < per; i++ {
					_ = s.score(r, weights)
					atomic.AddInt64(&scored, 1)
				}
			}
		}(w)
	}
	for range time.Tick(10 * time.Second) {
		s.mu.RLock()
		n := len(s.rows)
		s.mu.RUnlock()
		log.Printf("scored=%d cached_rows=%d", atomic.LoadInt64(&scored), n)
	}
}
