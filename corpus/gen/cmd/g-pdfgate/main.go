// pdfgate: document rendering gateway. Holds a font/glyph and template cache
// (pointer-rich, loaded at start) and renders PDFs on request. After every
// "large" response (> -large-bytes) the handler calls debug.FreeOSMemory() to
// "give the memory back" - a forced full collection plus scavenge, several
// times a second, on top of the normal GOGC cycles.
package main

import (
	"expvar"
	"flag"
	"log"
	"math/rand"
	"runtime/debug"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	glyphs     = flag.Int("glyphs", 600000, "glyph cache entries (pointer-rich live heap)")
	rps        = flag.Int("rps", 120, "render requests per second")
	largeRatio = flag.Float64("large-ratio", 0.06, "fraction of responses above the FreeOSMemory threshold")
	largeBytes = flag.Int("large-bytes", 1<<20, "FreeOSMemory threshold")
)

type glyph struct {
	font    *font
	code    rune
	advance float32
	path    []float32
	kern    map[rune]float32
	next    *glyph
}

type font struct {
	name   string
	glyphs map[rune]*glyph
}

var freed int64

func loadFonts(rng *rand.Rand, n int) []*font {
	var fonts []*font
	var prev *glyph
	for i := 0; i < n; {
		f := &font{name: "font-" + string(rune('A'+len(fonts)%26)), glyphs: make(map[rune]*glyph)}
		for c := 0; c < 3000 && i < n; c, i = c+1, i+1 {
			g := &glyph{font: f, code: rune(c), advance: rng.Float32(), path: make([]float32, 8+rng.Intn(16)), next: prev}
			if c%8 == 0 {
				g.kern = map[rune]float32{rune(c + 1): 0.1, rune(c + 2): -0.05}
			}
			f.glyphs[rune(c)] = g
			prev = g
		}
		fonts = append(fonts, f)
	}
	return fonts
}

func render(rng *rand.Rand, fonts []*font) int {
	f := fonts[rng.Intn(len(fonts))]
	pages := 1 + rng.Intn(4)
	size := 0
	if rng.Float64() < *largeRatio {
		pages = 20 + rng.Intn(40)
	}
	for p := 0; p < pages; p++ {
		ops := make([]float32, 0, 2048)
		for k := 0; k < 400; k++ {
			if g := f.glyphs[rune(rng.Intn(3000))]; g != nil {
				ops = append(ops, g.path...)
			}
		}
		page := make([]byte, 16384+len(ops)*4)
		size += len(page)
	}
	return size
}

func main() {
	flag.Parse()
	rng := rand.New(rand.NewSource(9))
	fonts := loadFonts(rng, *glyphs)
	expvar.Publish("free_os_memory_calls", expvar.Func(func() any { return atomic.LoadInt64(&freed) }))
	obs.Start()
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*rps) / 100
	var acc float64
	var served int
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				n := render(rng, fonts)
				served++
				if n > *largeBytes {
					debug.FreeOSMemory() // "return the memory of big documents to the OS"
					atomic.AddInt64(&freed, 1)
				}
			}
		case <-report.C:
			log.Printf("served=%d free_os_memory=%d fonts=%d", served, atomic.LoadInt64(&freed), len(fonts))
		}
	}
}
