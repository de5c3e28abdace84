// vecindex: in-memory vector index for recent embeddings. Incoming vectors
// are buffered in a Go memtable; when it is full it is frozen into an
// immutable segment whose vectors live in an anonymous mmap'd region (off the
// Go heap, so the GC never scans it). Queries scan the live segments. Segments
// older than the retention window are dropped from the segment list.
package main

import (
	"encoding/binary"
	"flag"
	"log"
	"math"
	"math/rand"
	"sync"
	"syscall"
	"time"

	"workloads/obs"
)

var (
	dim        = flag.Int("dim", 256, "vector dimension (float32)")
	segVectors = flag.Int("segment-vectors", 4096, "vectors per segment")
	ingestRate = flag.Int("vectors-per-sec", 8192, "vectors ingested per second")
	retain     = flag.Int("retain-segments", 6, "segments kept queryable")
	queryRate  = flag.Int("queries-per-sec", 50, "queries per second")
)

type segment struct {
	id   int
	n    int
	data []byte // mmap'd, n*dim*4 bytes
	ids  []uint64
}

type index struct {
	mu       sync.RWMutex
	segments []*segment
	nextID   int
}

func (ix *index) freeze(mem [][]float32, ids []uint64) {
	size := len(mem) * *dim * 4
	data, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		log.Fatalf("mmap segment: %v", err)
	}
	for i, v := range mem {
		off := i * *dim * 4
		for j, f := range v {
			binary.LittleEndian.PutUint32(data[off+j*4:], math.Float32bits(f))
		}
	}
	ix.mu.Lock()
	ix.nextID++
	ix.segments = append(ix.segments, &segment{id: ix.nextID, n: len(mem), data: data, ids: ids})
	if len(ix.segments) > *retain {
		// retention: the oldest segment leaves the list
		ix.segments = append([]*segment(nil), ix.segments[len(ix.segments)-*retain:]...)
	}
	ix.mu.Unlock()
}

func (ix *index) query(q []float32) (best uint64) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	bestScore := float32(-1e30)
	for _, s := range ix.segments {
		for i := 0; i < s.n; i += 16 { // sampled scan
			off := i * *dim * 4
			var dot float32
			for j := 0; j < *dim; j += 8 {
				dot += q[j] * math.Float32frombits(binary.LittleEndian.Uint32(s.data[off+j*4:]))
			}
			if dot > bestScore {
				bestScore, best = dot, s.ids[i]
			}
		}
	}
	return best
}

func main() {
	flag.Parse()
	obs.Start()
	ix := &index{}
	go func() {
		rng := rand.New(rand.NewSource(9))
		q := make([]float32, *dim)
		for range time.Tick(time.Second / time.Duration(*queryRate)) {
			for j := range q {
				q[j] = rng.Float32()
			}
			ix.query(q)
		}
	}()
	rng := rand.New(rand.NewSource(7))
	var mem [][]float32
	var ids []uint64
	per := *ingestRate / 20
	last := time.Now()
	var total uint64
	for range time.Tick(50 * time.Millisecond) {
		for i := 0; i < per; i++ {
			v := make([]float32, *dim)
			for j := range v {
				v[j] = rng.Float32()*2 - 1
			}
			mem = append(mem, v)
			ids = append(ids, total)
			total++
			if len(mem) >= *segVectors {
				ix.freeze(mem, ids)
				mem, ids = nil, nil
			}
		}
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			ix.mu.RLock()
			log.Printf("vectors=%d segments=%d (latest id %d)", total, len(ix.segments), ix.nextID)
			ix.mu.RUnlock()
		}
	}
}
