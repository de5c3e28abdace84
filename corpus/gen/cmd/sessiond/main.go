// sessiond: the web session store behind a storefront. Logins create
// sessions (30 min TTL) holding the user's profile snapshot and cart; page
// requests look the session up and render a page fragment.
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
	initialSessions = flag.Int("initial-sessions", 200000, "sessions restored from the snapshot at start")
	loginsPS        = flag.Int("logins-per-sec", 4000, "new sessions per second")
	pagesPS         = flag.Int("pages-per-sec", 12000, "page requests per second")
	ttl             = flag.Duration("ttl", 30*time.Minute, "session TTL")
	profileBytes    = flag.Int("profile-bytes", 256, "profile snapshot per session")
	fragmentBytes   = flag.Int("fragment-bytes", 6144, "rendered page fragment size")
)

type cartLine struct {
	sku string
	qty int
}

type session struct {
	id      string
	user    string
	created time.Time
	expires time.Time
	profile []byte
	cart    []cartLine
}

type store struct {
	mu  sync.RWMutex
	m   map[string]*session
	ids []string
}

func (s *store) login(rng *rand.Rand) {
	now := time.Now()
	ss := &session{id: fmt.Sprintf("%016x%016x", rng.Uint64(), rng.Uint64()), user: "u" + strconv.Itoa(rng.Intn(5000000)), created: now, expires: now.Add(*ttl),
		profile: make([]byte, *profileBytes), cart: []cartLine{{sku: "sku-" + strconv.Itoa(rng.Intn(90000)), qty: 1}}}
	rng.Read(ss.profile)
	s.mu.Lock()
	s.m[ss.id] = ss
	s.ids = append(s.ids, ss.id)
	s.mu.Unlock()
}

func (s *store) expire(now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, ss := range s.m {
		if now.After(ss.expires) {
			delete(s.m, id)
			n++
		}
	}
	return n
}

var pages int64

func (s *store) page(rng *rand.Rand) string {
	s.mu.RLock()
	id := s.ids[rng.Intn(len(s.ids))]
	ss := s.m[id]
	s.mu.RUnlock()
	frag := make([]byte, 0, *fragmentBytes)
	frag = append(frag, `<div class="header">Hello `...)
	if ss != nil {
		frag = append(frag, ss.user...)
		for _, l := range ss.cart {
			frag = append(frag, fmt.Sprintf(`<li data-sku=%q>%d</li>`, l.sku, l.qty)...)
		}
	}
	for len(frag) < *fragmentBytes-64 {
		frag = append(frag, `<a href="/c/`...)
		frag = strconv.AppendInt(frag, rng.Int63n(100000), 10)
		frag = append(frag, `">more</a>`...)
	}
	return string(frag[:64])
}

func main() {
	flag.Parse()
	obs.Start()
	s := &store{m: make(map[string]*session)}
	rng := rand.New(rand.NewSource(5))
	for i := 0; i < *initialSessions; i++ {
		s.login(rng)
	}
	log.Printf("sessions restored: %d", len(s.m))
	go func() {
		r := rand.New(rand.NewSource(6))
		per := *loginsPS / 100
		for range time.Tick(10 * time.Millisecond) {
			for i := 0; i < per; i++ {
				s.login(r)
			}
		}
	}()
	go func() {
		for now := range time.Tick(5 * time.Second) {
			if n := s.expire(now); n > 0 {
				log.Printf("expired %d sessions", n)
			}
		}
	}()
	for w := 0; w < 2; w++ {
		go func(w int) {
			r := rand.New(rand.NewSource(int64(10 + w)))
			per := *pagesPS / 2 / 100
			for range time.Tick(10 * time.Millisecond) {
				for i := 0; i < per; i++ {
					_ = s.page(r)
					atomic.AddInt64(&pages, 1)
				}
			}
		}(w)
	}
	for range time.Tick(10 * time.Second) {
		s.mu.RLock()
		n := len(s.m)
		s.mu.RUnlock()
		log.Printf("sessions=%d pages=%d", n, atomic.LoadInt64(&pages))
	}
}
