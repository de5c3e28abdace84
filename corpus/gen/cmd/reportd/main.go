// reportd: renders PDF account statements on demand. A rendered statement is
// kept in memory keyed by (account, period, locale), because users tend to
// download the same statement several times right after it is generated.
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
	rendersPerSec = flag.Float64("renders-per-sec", 15, "statements rendered per second")
	minKiB        = flag.Int("min-kib", 64, "smallest rendered statement (KiB)")
	maxKiB        = flag.Int("max-kib", 256, "largest rendered statement (KiB)")
	downloadsPer  = flag.Int("downloads-per-sec", 400, "statement downloads per second")
)

type rendered struct {
	pdf      []byte
	pages    int
	rendered int64
}

type store struct {
	mu  sync.RWMutex
	m   map[string]*rendered
	ids []string
}

var locales = []string{"en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "ja-JP"}

func renderStatement(rng *rand.Rand) *rendered {
	n := (*minKiB + rng.Intn(*maxKiB-*minKiB+1)) << 10
	pdf := make([]byte, 0, n)
	pdf = append(pdf, "%PDF-1.7\n"...)
	page := 0
	for len(pdf)+4096 <= n {
		page++
		pdf = append(pdf, "stream BT /F1 9 Tf 56 780 Td (Statement page "...)
		pdf = strconv.AppendInt(pdf, int64(page), 10)
		pdf = append(pdf, ") Tj ET "...)
		for len(pdf)%4096 != 0 {
			pdf = append(pdf, byte('a'+rng.Intn(26)))
		}
	}
	pdf = pdf[:n]
	return &rendered{pdf: pdf, pages: page, rendered: time.Now().UnixNano()}
}

var sink []byte

func main() {
	flag.Parse()
	obs.Start()
	s := &store{m: make(map[string]*rendered)}
	rng := rand.New(rand.NewSource(9))
	var renders, downloads int64
	var ra, da float64
	t := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	for {
		select {
		case <-t.C:
			for ra += *rendersPerSec / 100; ra >= 1; ra-- {
				key := "acct/" + strconv.Itoa(100000+rng.Intn(900000)) + "/2026-0" + strconv.Itoa(1+rng.Intn(3)) + "/" + locales[rng.Intn(len(locales))]
				r := renderStatement(rng)
				s.mu.Lock()
				s.m[key] = r
				s.ids = append(s.ids, key)
				s.mu.Unlock()
				renders++
			}
			for da += float64(*downloadsPer) / 100; da >= 1; da-- {
				s.mu.RLock()
				if len(s.ids) > 0 {
					r := s.m[s.ids[len(s.ids)-1-rng.Intn(min(len(s.ids), 50))]]
					hdr := make([]byte, 0, 192)
					hdr = append(hdr, "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: "...)
					hdr = strconv.AppendInt(hdr, int64(len(r.pdf)), 10)
					hdr = append(hdr, "\r\n\r\n"...)
					sink = hdr
					downloads++
				}
				s.mu.RUnlock()
			}
		case <-report.C:
			s.mu.RLock()
			log.Printf("renders=%d downloads=%d cached=%d", renders, downloads, len(s.m))
			s.mu.RUnlock()
		}
	}
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}
