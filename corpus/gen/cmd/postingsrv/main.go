// postingsrv: a term-query server. The term table (one 16-byte entry per
// term: term hash, segment, postings offset and length) is built in memory
// at start and kept for the life of the process; the postings lists
// themselves live in immutable segment files and are read with pread(2)
// through the page cache for every query (terms drawn uniformly, so the
// postings working set is the whole index).
//
// With -mkfiles it only creates the segment files (fsync'd and dropped from
// the page cache with POSIX_FADV_DONTNEED) and exits.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"
	"syscall"
	"time"

	"workloads/obs"
)

var (
	dir      = flag.String("dir", "/var/lib/postingsrv/index", "segment directory")
	mkfiles  = flag.Bool("mkfiles", false, "create the segment files and exit")
	nsegs    = flag.Int("segments", 4, "number of segments (with -mkfiles)")
	segMB    = flag.Int("segment-mb", 64, "segment size in MiB (with -mkfiles)")
	terms    = flag.Int("terms", 7<<20, "terms in the in-memory term table (16 bytes each)")
	queriers = flag.Int("queriers", 3, "query goroutines")
	qps      = flag.Int("qps", 0, "query rate limit (0: as fast as possible)")
)

const fadvDontneed = 4

func makeSegments() {
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	rng := rand.New(rand.NewSource(5))
	buf := make([]byte, 1<<20)
	for i := 0; i < *nsegs; i++ {
		p := filepath.Join(*dir, fmt.Sprintf("seg-%02d.postings", i))
		f, err := os.Create(p)
		if err != nil {
			log.Fatal(err)
		}
		for j := 0; j < *segMB; j++ {
			rng.Read(buf)
			if _, err := f.Write(buf); err != nil {
				log.Fatal(err)
			}
		}
		f.Sync()
		if _, _, e := syscall.Syscall6(syscall.SYS_FADVISE64, f.Fd(), 0, 0, fadvDontneed, 0, 0); e != 0 {
			log.Fatal(e)
		}
		f.Close()
		log.Printf("wrote %s", p)
	}
}

type termEntry struct {
	hash uint64
	seg  uint16
	n    uint16 // postings length in 4 KiB blocks
	blk  uint32 // offset in 4 KiB blocks
}

var queries, docs uint64

func main() {
	flag.Parse()
	if *mkfiles {
		makeSegments()
		return
	}
	obs.Start()
	paths, _ := filepath.Glob(filepath.Join(*dir, "seg-*.postings"))
	sort.Strings(paths)
	if len(paths) == 0 {
		log.Fatalf("no segments in %s", *dir)
	}
	var segs []*os.File
	var blocks []uint32
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			log.Fatal(err)
		}
		st, _ := f.Stat()
		segs = append(segs, f)
		blocks = append(blocks, uint32(st.Size()/4096))
	}
	// build the term table
	rng := rand.New(rand.NewSource(1))
	table := make([]termEntry, *terms)
	for i := range table {
		s := rng.Intn(len(segs))
		n := 1 + rng.Intn(4)
		table[i] = termEntry{hash: rng.Uint64(), seg: uint16(s), n: uint16(n), blk: uint32(rng.Intn(int(blocks[s]) - n))}
	}
	log.Printf("term table: %d terms (%d MiB); %d segments", len(table), len(table)*16>>20, len(segs))

	var tick <-chan time.Time
	if *qps > 0 {
		t := time.NewTicker(time.Second / time.Duration(*qps))
		tick = t.C
	}
	for q := 0; q < *queriers; q++ {
		go func(seed int64) {
			r := rand.New(rand.NewSource(seed))
			buf := make([]byte, 4*4096)
			for {
				if tick != nil {
					<-tick
				}
				e := table[r.Intn(len(table))]
				b := buf[:int(e.n)*4096]
				if _, err := segs[e.seg].ReadAt(b, int64(e.blk)*4096); err != nil {
					log.Printf("postings read: %v", err)
					continue
				}
				var hits uint64
				for i := 0; i+8 <= len(b); i += 64 {
					if binary.LittleEndian.Uint64(b[i:])&0xff == e.hash&0xff {
						hits++
					}
				}
				atomic.AddUint64(&docs, hits)
				atomic.AddUint64(&queries, 1)
			}
		}(int64(q + 2))
	}
	for range time.Tick(10 * time.Second) {
		log.Printf("queries=%d matched=%d", atomic.LoadUint64(&queries), atomic.LoadUint64(&docs))
	}
}
