// ingestd: bulk profile importer. Reads a newline-delimited "key<TAB>fields"
// export stream through a small buffered reader (a fresh 64 KiB buffer per
// fill, so tokens handed out stay valid), and builds an in-memory index of
// every distinct key seen (hash -> key bytes) for the de-duplication report.
package main

import (
	"bytes"
	"flag"
	"hash/fnv"
	"io"
	"log"
	"math/rand"
	"strconv"
	"sync"
	"time"

	"workloads/obs"
)

var (
	bufBytes   = flag.Int("buffer-bytes", 64<<10, "reader buffer size")
	mibPerSec  = flag.Float64("mib-per-sec", 8, "export stream rate (MiB/s)")
	newPerSec  = flag.Float64("new-keys-per-sec", 80, "distinct new keys per second in the stream")
	hotKeys    = flag.Int("hot-keys", 50000, "keys that repeat throughout the export")
)

// export generates the upstream stream at a fixed rate.
type export struct {
	rng      *rand.Rand
	pending  []byte
	start    time.Time
	produced float64
	lines    float64
	nextID   int
}

func (e *export) line(b []byte) []byte {
	e.lines++
	var id int
	// a new key every (lines/s)/(new/s) lines on average
	if e.rng.Float64() < *newPerSec/(*mibPerSec*1048576/112) {
		e.nextID++
		id = *hotKeys + e.nextID
	} else {
		id = e.rng.Intn(*hotKeys)
	}
	b = append(b, "cust-"...)
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, "\tstatus=active\tplan=pro\tcountry=DE\tupdated=2026-03-14T09:"...)
	b = strconv.AppendInt(b, int64(10+e.rng.Intn(50)), 10)
	b = append(b, ":00Z\tscore="...)
	b = strconv.AppendInt(b, int64(e.rng.Intn(1000)), 10)
	for len(b)%112 != 111 {
		b = append(b, ' ')
	}
	return append(b, '\n')
}

func (e *export) Read(p []byte) (int, error) {
	for {
		allowed := time.Since(e.start).Seconds() * *mibPerSec * 1048576
		if e.produced+float64(len(p)) <= allowed {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	for len(e.pending) < len(p) {
		e.pending = e.line(e.pending)
	}
	n := copy(p, e.pending)
	e.pending = append(e.pending[:0], e.pending[n:]...)
	e.produced += float64(n)
	return n, nil
}

// reader is a minimal line reader: fill() moves the unread tail into a new
// buffer and reads more after it.
type reader struct {
	src      io.Reader
	buf      []byte
	r, w     int
}

func (rd *reader) fill() error {
	nb := make([]byte, *bufBytes)
	n := copy(nb, rd.buf[rd.r:rd.w])
	rd.buf, rd.r, rd.w = nb, 0, n
	m, err := io.ReadFull(rd.src, nb[n:])
	rd.w += m
	return err
}

// next returns the next line without its newline (valid until never: the
// buffer is not reused).
func (rd *reader) next() ([]byte, error) {
	for {
		if i := bytes.IndexByte(rd.buf[rd.r:rd.w], '\n'); i >= 0 {
			ln := rd.buf[rd.r : rd.r+i]
			rd.r += i + 1
			return ln, nil
		}
		if err := rd.fill(); err != nil {
			return nil, err
		}
	}
}

type keyIndex struct {
	mu   sync.Mutex
	keys map[uint64][]byte
	dups int64
}

func main() {
	flag.Parse()
	obs.Start()
	src := &export{rng: rand.New(rand.NewSource(13)), start: time.Now()}
	rd := &reader{src: src, buf: make([]byte, *bufBytes)}
	idx := &keyIndex{keys: make(map[uint64][]byte)}
	go func() {
		for range time.Tick(10 * time.Second) {
			idx.mu.Lock()
			log.Printf("distinct_keys=%d duplicate_rows=%d read_mib=%.0f", len(idx.keys), idx.dups, src.produced/1048576)
			idx.mu.Unlock()
		}
	}()
	var fields int
	for {
		ln, err := rd.next()
		if err != nil {
			log.Fatalf("read: %v", err)
		}
		tab := bytes.IndexByte(ln, '\t')
		if tab <= 0 {
			continue
		}
		key := ln[:tab]
		fields += bytes.Count(ln[tab:], []byte{'\t'})
		h := fnv.New64a()
		h.Write(key)
		sum := h.Sum64()
		idx.mu.Lock()
		if _, ok := idx.keys[sum]; ok {
			idx.dups++
		} else {
			idx.keys[sum] = key
		}
		idx.mu.Unlock()
	}
}
