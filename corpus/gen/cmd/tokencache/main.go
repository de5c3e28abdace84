// tokencache: an OAuth token introspection cache. Issued access tokens and
// their claims are kept in an in-memory map (preloaded from the token store
// at start); introspection requests look a token up and render the claims.
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
	tokens     = flag.Int("tokens", 500000, "tokens preloaded into the cache")
	rps        = flag.Int("rps", 20000, "introspection requests per second")
	workers    = flag.Int("workers", 2, "request workers")
	claimBytes = flag.Int("claim-bytes", 96, "opaque claim blob per token")
)

type entry struct {
	token   string
	subject string
	client  string
	scopes  []string
	issued  int64
	expires int64
	claims  []byte
}

type cache struct {
	mu sync.RWMutex
	m  map[string]*entry
	ks []string
}

var scopeSets = [][]string{{"openid", "profile"}, {"orders:read", "orders:write"}, {"payments:read"}, {"openid", "email", "catalog:read"}}

func preload(n int) *cache {
	rng := rand.New(rand.NewSource(1))
	c := &cache{m: make(map[string]*entry, n), ks: make([]string, 0, n)}
	now := time.Now().Unix()
	for i := 0; i < n; i++ {
		tok := fmt.Sprintf("at_%016x%016x", rng.Uint64(), rng.Uint64())
		e := &entry{token: tok, subject: "user-" + strconv.Itoa(rng.Intn(2000000)), client: "client-" + strconv.Itoa(rng.Intn(300)),
			scopes: append([]string(nil), scopeSets[i%len(scopeSets)]...), issued: now, expires: now + 3600, claims: make([]byte, *claimBytes)}
		rng.Read(e.claims)
		c.m[tok] = e
		c.ks = append(c.ks, tok)
	}
	return c
}

func (c *cache) introspect(tok string) string {
	c.mu.RLock()
	e := c.m[tok]
	c.mu.RUnlock()
	if e == nil {
		return `{"active":false}`
	}
	scopes := ""
	for i, s := range e.scopes {
		if i > 0 {
			scopes += " "
		}
		scopes += s
	}
	return fmt.Sprintf(`{"active":true,"sub":%q,"client_id":%q,"scope":%q,"iat":%d,"exp":%d,"ext":"%x"}`, e.subject, e.client, scopes, e.issued, e.expires, e.claims[:32])
}

var served int64

func main() {
	flag.Parse()
	obs.Start()
	t0 := time.Now()
	c := preload(*tokens)
	log.Printf("token cache preloaded: %d tokens in %v", len(c.m), time.Since(t0))
	per := *rps / *workers / 100
	for w := 0; w < *workers; w++ {
		go func(w int) {
			rng := rand.New(rand.NewSource(int64(w + 50)))
			for range time.Tick(10 * time.Millisecond) {
				for i := 0; i < per; i++ {
					tok := c.ks[rng.Intn(len(c.ks))]
					if i%20 == 0 {
						tok = fmt.Sprintf("at_%016x%016x", rng.Uint64(), rng.Uint64())
					}
					_ = c.introspect(tok)
					atomic.AddInt64(&served, 1)
				}
			}
		}(w)
	}
	for range time.Tick(10 * time.Second) {
		log.Printf("introspections=%d tokens=%d", atomic.LoadInt64(&served), len(c.m))
	}
}
