// thumbd: thumbnail service. Each job decodes a source image (in Go), hands
// the pixels to the C resampler/encoder, which returns the encoded thumbnail
// in a malloc'd buffer; the Go side copies it out (C.GoBytes) and stores it in
// the response cache. Jobs arrive at a fixed rate on a pool of workers.
package main

/*
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

// box-filter downscale + a trivial run-length "encoder"; the output buffer is
// allocated here and owned by the caller.
static unsigned char *thumb_encode(const unsigned char *src, int w, int h, int tw, int th, int quality, int *out_len) {
	size_t cap = (size_t)tw * th * 3 + 512;
	unsigned char *out = malloc(cap);
	if (!out) { *out_len = 0; return NULL; }
	memset(out, 0, 512);
	size_t o = 512;
	for (int y = 0; y < th; y++) {
		int sy = y * h / th;
		for (int x = 0; x < tw; x++) {
			int sx = x * w / tw;
			const unsigned char *p = src + ((size_t)sy * w + sx) * 3;
			out[o++] = p[0] ^ (unsigned char)quality;
			out[o++] = p[1];
			out[o++] = p[2];
		}
	}
	*out_len = (int)o;
	return out;
}
*/
import "C"

import (
	"flag"
	"log"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"workloads/obs"
)

var (
	jobsPerSec = flag.Int("jobs-per-sec", 120, "thumbnail jobs per second")
	workers    = flag.Int("workers", 4, "encoder workers")
	srcW       = flag.Int("src-width", 640, "source image width")
	srcH       = flag.Int("src-height", 480, "source image height")
	thumbSizes = flag.String("sizes", "96x96,160x120,200x150", "thumbnail sizes")
	cacheSize  = flag.Int("cache-entries", 512, "response cache entries")
)

type size struct{ w, h int }

func parseSizes(s string) []size {
	var out []size
	var w, h int
	for _, f := range splitComma(s) {
		if n, _ := sscan(f, &w, &h); n == 2 {
			out = append(out, size{w, h})
		}
	}
	return out
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

func sscan(f string, w, h *int) (int, error) {
	*w, *h = 0, 0
	i := 0
	for ; i < len(f) && f[i] != 'x'; i++ {
		*w = *w*10 + int(f[i]-'0')
	}
	for i++; i < len(f); i++ {
		*h = *h*10 + int(f[i]-'0')
	}
	return 2, nil
}

type cache struct {
	mu   sync.Mutex
	ring [][]byte
	pos  int
}

func (c *cache) put(b []byte) {
	c.mu.Lock()
	c.ring[c.pos] = b
	c.pos = (c.pos + 1) % len(c.ring)
	c.mu.Unlock()
}

func renderThumb(src []byte, w, h int, sz size, quality int) []byte {
	var n C.int
	out := C.thumb_encode((*C.uchar)(unsafe.Pointer(&src[0])), C.int(w), C.int(h), C.int(sz.w), C.int(sz.h), C.int(quality), &n)
	if out == nil {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(out), n)
}

func main() {
	flag.Parse()
	obs.Start()
	sizes := parseSizes(*thumbSizes)
	jobs := make(chan int, 1024)
	rc := &cache{ring: make([][]byte, *cacheSize)}
	var done int64
	for wk := 0; wk < *workers; wk++ {
		go func(seed int64) {
			rng := rand.New(rand.NewSource(seed))
			for j := range jobs {
				// decode the source image (Go side, short-lived)
				src := make([]byte, *srcW**srcH*3)
				for i := 0; i < len(src); i += 97 {
					src[i] = byte(j + i)
				}
				sz := sizes[rng.Intn(len(sizes))]
				rc.put(renderThumb(src, *srcW, *srcH, sz, 60+rng.Intn(30)))
				atomic.AddInt64(&done, 1)
			}
		}(int64(wk))
	}
	per := *jobsPerSec / 20
	last := time.Now()
	j := 0
	for range time.Tick(50 * time.Millisecond) {
		for i := 0; i < per; i++ {
			jobs <- j
			j++
		}
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			log.Printf("thumbnails=%d", atomic.LoadInt64(&done))
		}
	}
}
