// previewd: image preview service. For every source image URL it is asked
// about it renders a fixed-size preview frame and keeps the rendered frame in
// memory, keyed by URL, so repeated requests are answered without rendering.
package main

import (
	"flag"
	"log"
	"math/rand"
	"strconv"
	"sync"
	"time"

	"workloads/obs"
)

var (
	rps        = flag.Int("rps", 900, "preview requests per second")
	frameBytes = flag.Int("frame-bytes", 8192, "size of a rendered preview frame")
	repeat     = flag.Float64("repeat-ratio", 0.35, "fraction of requests for an already rendered URL")
)

type frameCache struct {
	mu    sync.RWMutex
	byURL map[string][]byte
}

func (c *frameCache) get(url string) ([]byte, bool) {
	c.mu.RLock()
	f, ok := c.byURL[url]
	c.mu.RUnlock()
	return f, ok
}

func (c *frameCache) put(url string, f []byte) {
	c.mu.Lock()
	c.byURL[url] = f
	c.mu.Unlock()
}

func (c *frameCache) size() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.byURL)
}

// newFrame allocates an output frame (small enough to be inlined).
func newFrame(n int) []byte { return make([]byte, n) }

func render(url string, seed uint64) []byte {
	f := newFrame(*frameBytes)
	// header + a cheap gradient standing in for the scaled pixels
	copy(f, "PRVW")
	x := seed | 1
	for i := 16; i < len(f); i += 8 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		f[i] = byte(x)
	}
	return f
}

var sink []byte

func encodeResponse(url string, f []byte) []byte {
	b := make([]byte, 0, 256)
	b = append(b, `{"url":"`...)
	b = append(b, url...)
	b = append(b, `","bytes":`...)
	b = strconv.AppendInt(b, int64(len(f)), 10)
	b = append(b, `,"etag":"`...)
	b = strconv.AppendUint(b, uint64(f[16])<<8|uint64(f[24]), 16)
	b = append(b, `"}`...)
	return b
}

func main() {
	flag.Parse()
	obs.Start()
	c := &frameCache{byURL: make(map[string][]byte)}
	rng := rand.New(rand.NewSource(7))
	var urls []string
	var served, rendered int64
	perTick := float64(*rps) / 100
	var acc float64
	t := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	for {
		select {
		case <-t.C:
			for acc += perTick; acc >= 1; acc-- {
				var url string
				if len(urls) > 0 && rng.Float64() < *repeat {
					url = urls[rng.Intn(len(urls))]
				} else {
					url = "https://img.example-cdn.net/u/" + strconv.FormatUint(rng.Uint64()>>20, 36) + "/original.jpg?w=160&h=160"
					if len(urls) < 20000 {
						urls = append(urls, url)
					} else {
						urls[rng.Intn(len(urls))] = url
					}
				}
				f, ok := c.get(url)
				if !ok {
					f = render(url, rng.Uint64())
					c.put(url, f)
					rendered++
				}
				sink = encodeResponse(url, f)
				served++
			}
		case <-report.C:
			log.Printf("served=%d rendered=%d cached=%d", served, rendered, c.size())
		}
	}
}
