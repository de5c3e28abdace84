// ratelimitd: per-client request accounting for an API edge. Every request
// increments a counter for (client address, route class) so that the limiter
// and the abuse report can see how much each client used each route class.
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
	rps        = flag.Int("rps", 30000, "requests per second")
	newClients = flag.Float64("new-client-ratio", 0.4, "fraction of requests from a client address not seen before")
	limit      = flag.Int("limit-per-route", 600, "allowed requests per client and route class")
)

var routeClasses = []string{"read", "write", "search", "auth", "upload", "export"}

type usage struct {
	mu       sync.Mutex
	byClient map[string]map[string]int
}

func (u *usage) count(client, route string) int {
	u.mu.Lock()
	m := u.byClient[client]
	if m == nil {
		m = make(map[string]int)
		u.byClient[client] = m
	}
	m[route]++
	n := m[route]
	u.mu.Unlock()
	return n
}

func clientAddr(rng *rand.Rand) string {
	// IPv6 /64 prefixes from mobile carriers: effectively unbounded
	return "2a02:" + strconv.FormatUint(uint64(rng.Uint32()&0xffff), 16) + ":" + strconv.FormatUint(uint64(rng.Uint32()&0xffff), 16) + ":" + strconv.FormatUint(uint64(rng.Uint32()&0xffff), 16) + "::/64"
}

func main() {
	flag.Parse()
	obs.Start()
	u := &usage{byClient: make(map[string]map[string]int)}
	rng := rand.New(rand.NewSource(3))
	known := make([]string, 0, 50000)
	var reqs, limited int64
	perTick := float64(*rps) / 100
	var acc float64
	t := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	for {
		select {
		case <-t.C:
			for acc += perTick; acc >= 1; acc-- {
				var c string
				if len(known) == 0 || rng.Float64() < *newClients {
					c = clientAddr(rng)
					if len(known) < cap(known) {
						known = append(known, c)
					} else {
						known[rng.Intn(len(known))] = c
					}
				} else {
					c = known[rng.Intn(len(known))]
				}
				r := routeClasses[rng.Intn(3)]
				if rng.Intn(4) == 0 {
					r = routeClasses[rng.Intn(len(routeClasses))]
				}
				if u.count(c, r) > *limit {
					limited++
				}
				reqs++
			}
		case <-report.C:
			u.mu.Lock()
			n := len(u.byClient)
			u.mu.Unlock()
			log.Printf("requests=%d limited=%d clients=%d", reqs, limited, n)
		}
	}
}
