// blobproxy: upload proxy in front of an object store. Each upload is
// re-encoded on the fly: a producer goroutine reads the client body in 2-8 KiB
// chunks, compresses/frames them and writes them into an io.Pipe whose reader
// side is streamed to the store. When the store rejects an upload early (quota
// or checksum policy, ~1 in 5), the handler returns its error without closing
// the pipe reader (no pr.CloseWithError), so the producer stays blocked forever
// in PipeWriter.Write holding its chunk buffer and the encoded frame.
package main

import (
	"errors"
	"expvar"
	"flag"
	"hash/crc32"
	"io"
	"log"
	"math/rand"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	uploadsPerSec = flag.Int("uploads-per-sec", 200, "uploads per second")
	rejectRatio   = flag.Float64("reject-ratio", 0.2, "fraction of uploads the store rejects after the first frame")
	minChunk      = flag.Int("min-chunk", 2048, "min chunk bytes")
	maxChunk      = flag.Int("max-chunk", 8192, "max chunk bytes")
	chunks        = flag.Int("chunks", 24, "chunks per upload")
)

var errQuota = errors.New("store: tenant quota exceeded")

var okCount, rejected, blocked int64

// producer encodes the client body into pw.
func producer(pw *io.PipeWriter, seed int64) {
	rng := rand.New(rand.NewSource(seed))
	buf := make([]byte, *minChunk+rng.Intn(*maxChunk-*minChunk+1))
	frame := make([]byte, 0, len(buf)+16)
	for i := 0; i < *chunks; i++ {
		rng.Read(buf[:64])
		frame = frame[:0]
		frame = append(frame, byte(i), byte(i>>8), 0, 0)
		frame = append(frame, buf...)
		c := crc32.ChecksumIEEE(frame)
		frame = append(frame, byte(c), byte(c>>8), byte(c>>16), byte(c>>24))
		atomic.AddInt64(&blocked, 1)
		_, err := pw.Write(frame)
		atomic.AddInt64(&blocked, -1)
		if err != nil {
			return
		}
	}
	pw.Close()
}

// store consumes the pipe; rejects some uploads after reading the first frame.
func store(pr *io.PipeReader, reject bool) error {
	hdr := make([]byte, 4096)
	if _, err := io.ReadFull(pr, hdr); err != nil {
		return err
	}
	if reject {
		return errQuota // BUG: pr is never closed on this path
	}
	_, err := io.Copy(io.Discard, pr)
	return err
}

func handle(seed int64, reject bool) {
	pr, pw := io.Pipe()
	go producer(pw, seed)
	if err := store(pr, reject); err != nil {
		atomic.AddInt64(&rejected, 1)
		return
	}
	atomic.AddInt64(&okCount, 1)
}

func main() {
	flag.Parse()
	expvar.Publish("uploads_ok", expvar.Func(func() any { return atomic.LoadInt64(&okCount) }))
	expvar.Publish("uploads_rejected", expvar.Func(func() any { return atomic.LoadInt64(&rejected) }))
	obs.Start()
	rng := rand.New(rand.NewSource(5))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*uploadsPerSec) / 100
	var acc float64
	var seed int64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				seed++
				go handle(seed, rng.Float64() < *rejectRatio)
			}
		case <-report.C:
			log.Printf("uploads ok=%d rejected=%d producers_blocked=%d", atomic.LoadInt64(&okCount), atomic.LoadInt64(&rejected), atomic.LoadInt64(&blocked))
		}
	}
}
