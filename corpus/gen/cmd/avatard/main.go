// avatard: avatar image service with a bounded in-memory LRU of resized
// avatars in front of the object store.
package main

import (
	"container/list"
	"flag"
	"log"
	"math/rand"
	"strconv"
	"sync"
	"time"

	"workloads/obs"
)

var (
	capacity = flag.Int("cache-entries", 36000, "LRU capacity (entries)")
	rps      = flag.Int("rps", 2600, "requests per second")
	users    = flag.Int("users", 2000000, "distinct users")
	minBytes = flag.Int("min-bytes", 2048, "smallest avatar")
	maxBytes = flag.Int("max-bytes", 4096, "largest avatar")
)

type entry struct {
	key string
	img []byte
}

type lru struct {
	mu    sync.Mutex
	cap   int
	ll    *list.List
	items map[string]*list.Element
}

func (c *lru) get(k string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*entry).img, true
	}
	return nil, false
}

func (c *lru) put(k string, img []byte) (evicted bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = c.ll.PushFront(&entry{k, img})
	if c.ll.Len() > c.cap {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.items, old.Value.(*entry).key)
		return true
	}
	return false
}

func fetch(rng *rand.Rand) []byte {
	b := make([]byte, *minBytes+rng.Intn(*maxBytes-*minBytes+1))
	copy(b, "\x89PNG\r\n\x1a\n")
	return b
}

var sink []byte

func main() {
	flag.Parse()
	obs.Start()
	c := &lru{cap: *capacity, ll: list.New(), items: make(map[string]*list.Element)}
	rng := rand.New(rand.NewSource(29))
	zipf := rand.NewZipf(rng, 1.01, 4, uint64(*users-1))
	var hits, misses, evictions int64
	var acc float64
	t := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(5 * time.Second)
	for {
		select {
		case <-t.C:
			for acc += float64(*rps) / 100; acc >= 1; acc-- {
				k := "u/" + strconv.FormatUint(zipf.Uint64()*2654435761%uint64(*users), 36) + "/96.png"
				img, ok := c.get(k)
				if ok {
					hits++
				} else {
					misses++
					img = fetch(rng)
					if c.put(k, img) {
						evictions++
					}
				}
				resp := make([]byte, 0, 128)
				resp = append(resp, "HTTP/1.1 200 OK\r\nCache-Control: max-age=3600\r\nContent-Length: "...)
				resp = strconv.AppendInt(resp, int64(len(img)), 10)
				sink = resp
			}
		case <-report.C:
			log.Printf("hits=%d misses=%d evictions=%d entries=%d", hits, misses, evictions, c.ll.Len())
		}
	}
}
