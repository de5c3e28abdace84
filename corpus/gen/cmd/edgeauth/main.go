// edgeauth: request-signing check at the edge. Every request's method, host,
// canonical path+query and tenant key id are handed to the C signing library
// (an HMAC-style digest over the canonical request), and the result is
// compared with the signature header. Requests arrive from a built-in load
// generator at a fixed rate on several workers.
package main

/*
#include <stdint.h>
#include <string.h>

static uint64_t mix(uint64_t h, const char *s) {
	for (; *s; s++) { h ^= (unsigned char)*s; h *= 1099511628211ULL; }
	return h;
}

// canonical request digest (FNV-1a over the parts, keyed)
static uint64_t sig_digest(const char *method, const char *host, const char *path, const char *key_id, uint64_t secret) {
	uint64_t h = 1469598103934665603ULL ^ secret;
	h = mix(h, method); h = mix(h, "\n");
	h = mix(h, host);   h = mix(h, "\n");
	h = mix(h, path);   h = mix(h, "\n");
	h = mix(h, key_id);
	return h;
}
*/
import "C"

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	rps      = flag.Int("rps", 20000, "requests per second")
	workers  = flag.Int("workers", 4, "verification workers")
	maxQuery = flag.Int("max-query-bytes", 320, "max length of the query string")
	tenants  = flag.Int("tenants", 500, "tenant keys")
)

var methods = []string{"GET", "GET", "GET", "POST", "PUT", "DELETE"}
var hosts = []string{"api.example.net", "upload.example.net", "eu.api.example.net"}

type request struct {
	method, host, path, keyID string
	sig                       uint64
}

func verify(r *request, secret uint64) bool {
	d := C.sig_digest(C.CString(r.method), C.CString(r.host), C.CString(r.path), C.CString(r.keyID), C.uint64_t(secret))
	return uint64(d) == r.sig
}

func main() {
	flag.Parse()
	obs.Start()
	secrets := make([]uint64, *tenants)
	rng0 := rand.New(rand.NewSource(1))
	for i := range secrets {
		secrets[i] = rng0.Uint64()
	}
	reqs := make(chan *request, 4096)
	var ok, bad int64
	for w := 0; w < *workers; w++ {
		go func() {
			for r := range reqs {
				var t int
				fmt.Sscanf(r.keyID[4:], "%d", &t)
				if verify(r, secrets[t%len(secrets)]) {
					atomic.AddInt64(&ok, 1)
				} else {
					atomic.AddInt64(&bad, 1)
				}
			}
		}()
	}
	rng := rand.New(rand.NewSource(2))
	per := *rps / 100
	last := time.Now()
	q := make([]byte, *maxQuery)
	for range time.Tick(10 * time.Millisecond) {
		for i := 0; i < per; i++ {
			n := 40 + rng.Intn(*maxQuery-40)
			for k := 0; k < n; k++ {
				q[k] = byte('a' + rng.Intn(26))
			}
			reqs <- &request{method: methods[rng.Intn(len(methods))], host: hosts[rng.Intn(len(hosts))],
				path: "/v1/objects/" + string(q[:n]), keyID: fmt.Sprintf("key-%d", rng.Intn(*tenants)), sig: rng.Uint64()}
		}
		if time.Since(last) >= 5*time.Second {
			last = time.Now()
			log.Printf("verified=%d rejected=%d", atomic.LoadInt64(&ok), atomic.LoadInt64(&bad))
		}
	}
}
