// leakyd is the end-to-end test's Go service: it serves expvar (/debug/vars) and net/http/pprof on
// loopback and, when asked (POST /leak?rate=N), starts remembering N request ids per second in a map
// that is never pruned — the same shape as the pub-map-leak fixture (map[int64]*record).
// Standard library only, built at test time with Debian's golang-1.19-go.
package main

import (
	"expvar"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

type record struct {
	seenAt int64
	status int32
	hits   int32
}

type store struct {
	mu   sync.Mutex
	seen map[int64]*record
}

func (s *store) remember(id int64) {
	s.mu.Lock()
	s.seen[id] = &record{seenAt: time.Now().UnixNano(), status: 200}
	s.mu.Unlock()
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	portFile := flag.String("port-file", "", "write the chosen port here once listening")
	flag.Parse()

	// A profile with every allocation sampled would slow the leak; 64 KiB is a realistic finer-than-default rate.
	runtime.MemProfileRate = 64 * 1024
	s := &store{seen: make(map[int64]*record)}
	expvar.Publish("goroutines", expvar.Func(func() any { return runtime.NumGoroutine() }))

	var once sync.Once
	http.HandleFunc("/leak", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		rate, err := strconv.Atoi(r.URL.Query().Get("rate"))
		if err != nil || rate <= 0 {
			http.Error(w, "rate must be a positive integer", http.StatusBadRequest)
			return
		}
		once.Do(func() { go leak(s, rate) })
		fmt.Fprintf(w, "leaking %d ids/s\n", rate)
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	if *portFile != "" {
		port := ln.Addr().(*net.TCPAddr).Port
		if err := os.WriteFile(*portFile, []byte(strconv.Itoa(port)), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	log.Printf("leakyd listening on %s", ln.Addr())
	log.Fatal(http.Serve(ln, nil))
}

// leak inserts rate random ids per second, in 20 batches a second, and never deletes any.
func leak(s *store, rate int) {
	perTick := rate / 20
	if perTick < 1 {
		perTick = 1
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for range tick.C {
		for i := 0; i < perTick; i++ {
			s.remember(rand.Int63())
		}
	}
}
