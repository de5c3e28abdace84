// labelgen: shipping-label rendering service around a legacy C label library
// (modelled here by a small cgo function) that takes its per-job options only
// from the environment: it reads getenv("LABELGEN_OPTS"). The Go service sets
// that variable with os.Setenv before each cgo call. With cgo linked,
// os.Setenv calls the C library's setenv(3), and glibc's setenv never frees a
// previous value (it keeps every "NAME=value" string it ever allocated, so
// that pointers returned by earlier getenv calls stay valid; identical
// values are reused). Each job's options string is unique (it carries the job
// id, the carrier account and the label template options, 0.8-2 KiB), so every
// job leaks one malloc'd string on the C heap, outside the Go heap.
package main

/*
#include <stdlib.h>
#include <string.h>

// the legacy library's entry point: parses its options from the environment
static unsigned long labelgen_render(int copies) {
	const char *opts = getenv("LABELGEN_OPTS");
	unsigned long h = 5381;
	if (!opts) return 0;
	for (const char *p = opts; *p; p++) h = h * 33 + (unsigned char)*p;
	return h + (unsigned long)copies;
}
*/
import "C"

import (
	"expvar"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	jobsPerSec = flag.Int("jobs-per-sec", 2000, "label jobs per second")
	minOpts    = flag.Int("min-opts", 800, "options string length (min)")
	maxOpts    = flag.Int("max-opts", 2048, "options string length (max)")
)

var carriers = []string{"dhl", "ups", "fedex", "dpd", "gls", "postnl", "royalmail"}

func main() {
	flag.Parse()
	var jobs, optBytes int64
	expvar.Publish("jobs", expvar.Func(func() any { return atomic.LoadInt64(&jobs) }))
	expvar.Publish("opts_bytes_set", expvar.Func(func() any { return atomic.LoadInt64(&optBytes) }))
	obs.Start()
	rng := rand.New(rand.NewSource(79))
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*jobsPerSec) / 100
	var acc float64
	var id int64
	var sb strings.Builder
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				id++
				n := *minOpts + rng.Intn(*maxOpts-*minOpts+1)
				sb.Reset()
				fmt.Fprintf(&sb, "job=%d;carrier=%s;account=%08d;template=a6-thermal;dpi=203;copies=%d;barcode=code128;ref=", id, carriers[rng.Intn(len(carriers))], rng.Intn(1e8), 1+rng.Intn(3))
				for sb.Len() < n {
					fmt.Fprintf(&sb, "%x", rng.Uint32())
				}
				opts := sb.String()
				if err := os.Setenv("LABELGEN_OPTS", opts); err != nil {
					log.Fatal(err)
				}
				_ = C.labelgen_render(C.int(1))
				// the rendered label (garbage once written out)
				label := make([]byte, 4096+rng.Intn(8192))
				label[0] = byte(id)
				atomic.AddInt64(&jobs, 1)
				atomic.AddInt64(&optBytes, int64(len(opts)))
			}
		case <-report.C:
			log.Printf("jobs=%d opts_bytes=%d", atomic.LoadInt64(&jobs), atomic.LoadInt64(&optBytes))
		}
	}
}
