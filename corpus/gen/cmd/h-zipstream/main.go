// zipstream: log archive uploader. Each finished log segment (24-64 KiB of
// log lines) is compressed with zlib through a small cgo binding (deflate is
// faster than compress/flate here) and the compressed bytes are copied into
// Go memory. The binding's Close() calls deflateEnd, which frees zlib's
// internal state (window, hash chains and pending buffer: ~270 KiB malloc'd by
// libz per stream, most of it written while compressing), but the uploader
// only calls Close() on the error path - on success it just drops the Go
// handle. The Go code never calls malloc itself: the leaked memory is
// allocated inside libz.
package main

/*
#cgo LDFLAGS: -lz
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static z_stream *zs_new(int level) {
	z_stream *s = calloc(1, sizeof(z_stream));
	if (deflateInit2(s, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) { free(s); return 0; }
	return s;
}

static int zs_compress(z_stream *s, unsigned char *in, size_t n, unsigned char *out, size_t cap) {
	s->next_in = in; s->avail_in = (uInt)n;
	s->next_out = out; s->avail_out = (uInt)cap;
	int rc = deflate(s, Z_FINISH);
	if (rc != Z_STREAM_END) return -1;
	return (int)(cap - s->avail_out);
}

static void zs_close(z_stream *s) { deflateEnd(s); free(s); }
*/
import "C"

import (
	"expvar"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"sync/atomic"
	"time"
	"unsafe"

	"workloads/obs"
)

var (
	segsPerSec = flag.Float64("segments-per-sec", 20, "log segments compressed per second")
	minKB      = flag.Int("min-kb", 24, "smallest segment")
	maxKB      = flag.Int("max-kb", 64, "largest segment")
)

type compressor struct{ s *C.z_stream }

func newCompressor() *compressor { return &compressor{s: C.zs_new(6)} }

func (c *compressor) compress(in []byte) ([]byte, error) {
	cin := C.CBytes(in)
	defer C.free(cin)
	cap := len(in) + len(in)/10 + 64
	cout := C.malloc(C.size_t(cap))
	defer C.free(cout)
	n := C.zs_compress(c.s, (*C.uchar)(cin), C.size_t(len(in)), (*C.uchar)(cout), C.size_t(cap))
	if n < 0 {
		return nil, fmt.Errorf("deflate failed")
	}
	return C.GoBytes(cout, n), nil
}

func (c *compressor) Close() { C.zs_close(c.s) }

var services = []string{"checkout", "search", "auth", "payments", "catalog", "ledger"}

func segment(r *rand.Rand, size int) []byte {
	b := make([]byte, 0, size+200)
	for len(b) < size {
		b = append(b, fmt.Sprintf("2026-12-06T04:%02d:%02d.%06dZ level=info service=%s trace=%016x msg=\"request done\" status=%d dur_ms=%d bytes=%d\n",
			r.Intn(60), r.Intn(60), r.Intn(1000000), services[r.Intn(len(services))], r.Uint64(), 200+r.Intn(4)*100, r.Intn(900), r.Intn(90000))...)
	}
	return b
}

func main() {
	flag.Parse()
	var segs, inBytes, outBytes int64
	expvar.Publish("segments", expvar.Func(func() any { return atomic.LoadInt64(&segs) }))
	expvar.Publish("bytes_in", expvar.Func(func() any { return atomic.LoadInt64(&inBytes) }))
	expvar.Publish("bytes_out", expvar.Func(func() any { return atomic.LoadInt64(&outBytes) }))
	obs.Start()
	rng := rand.New(rand.NewSource(5))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := *segsPerSec / 100
	var acc float64
	var uploaded [][]byte
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				seg := segment(rng, (*minKB+rng.Intn(*maxKB-*minKB+1))*1024)
				c := newCompressor()
				out, err := c.compress(seg)
				if err != nil {
					c.Close() // only the error path releases the zlib state
					continue
				}
				// "upload": keep the last 64 compressed segments in the outbound window
				uploaded = append(uploaded, out)
				if len(uploaded) > 64 {
					uploaded = uploaded[1:]
				}
				atomic.AddInt64(&segs, 1)
				atomic.AddInt64(&inBytes, int64(len(seg)))
				atomic.AddInt64(&outBytes, int64(len(out)))
			}
		case <-report.C:
			log.Printf("segments=%d in=%d out=%d", atomic.LoadInt64(&segs), atomic.LoadInt64(&inBytes), atomic.LoadInt64(&outBytes))
		}
	}
}

var _ = unsafe.Pointer(nil)
