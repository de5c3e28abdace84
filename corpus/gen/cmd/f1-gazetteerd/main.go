// gazetteerd: forward/reverse geocoding service. Loads a gazetteer (places
// with names, alternate names, coordinates, admin codes) once at start into a
// map keyed by normalized name plus a grid index, then answers lookups. Each
// request decodes a query, builds candidate lists and renders a JSON answer:
// steady short-lived garbage over a flat live heap.
package main

import (
	"flag"
	"log"
	"math/rand"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	places     = flag.Int("places", 420000, "gazetteer entries")
	altBytes   = flag.Int("alt-names-bytes", 160, "alternate-names field length")
	rps        = flag.Int("rps", 3000, "lookups per second")
	candidates = flag.Int("candidates", 24, "candidates scored per lookup")
)

type place struct {
	name, altNames, admin string
	lat, lon              float64
	population            int32
	cell                  int32
}

var syll = []string{"ka", "ri", "to", "men", "sa", "lo", "vi", "dan", "ber", "go", "nu", "ple", "ston", "wood", "ham", "burg"}

func placeName(r *rand.Rand) string {
	var b strings.Builder
	for i, n := 0, 2+r.Intn(3); i < n; i++ {
		b.WriteString(syll[r.Intn(len(syll))])
	}
	return strings.Title(b.String())
}

func main() {
	flag.Parse()
	obs.Start()
	r := rand.New(rand.NewSource(9))
	byName := make(map[string]*place, *places)
	grid := make(map[int32][]*place)
	names := make([]string, 0, *places)
	for i := 0; i < *places; i++ {
		p := &place{name: placeName(r) + " " + strconv.Itoa(i), lat: r.Float64()*180 - 90, lon: r.Float64()*360 - 180,
			population: int32(r.Intn(2000000)), admin: "ADM-" + strconv.Itoa(r.Intn(5000))}
		var alt strings.Builder
		for alt.Len() < *altBytes {
			alt.WriteString(placeName(r))
			alt.WriteByte(',')
		}
		p.altNames = alt.String()
		p.cell = int32(int(p.lat+90)*360 + int(p.lon+180))
		byName[strings.ToLower(p.name)] = p
		grid[p.cell] = append(grid[p.cell], p)
		names = append(names, p.name)
	}
	log.Printf("gazetteer loaded: %d places, %d cells", len(byName), len(grid))
	var served int64
	go func() {
		for range time.Tick(10 * time.Second) {
			log.Printf("lookups=%d", atomic.LoadInt64(&served))
		}
	}()
	var sink int
	perTick := *rps / 100
	for range time.Tick(10 * time.Millisecond) {
		for i := 0; i < perTick; i++ {
			q := strings.ToLower(names[r.Intn(len(names))])
			p := byName[q]
			cands := make([]*place, 0, *candidates)
			for c := int32(-2); c <= 2 && len(cands) < *candidates; c++ {
				cands = append(cands, grid[p.cell+c]...)
			}
			var out strings.Builder
			out.Grow(1024)
			out.WriteString(`{"query":"` + q + `","results":[`)
			for j, c := range cands {
				if j == *candidates {
					break
				}
				out.WriteString(`{"name":"` + c.name + `","admin":"` + c.admin + `","lat":` + strconv.FormatFloat(c.lat, 'f', 5, 64) +
					`,"lon":` + strconv.FormatFloat(c.lon, 'f', 5, 64) + `,"alt":"` + c.altNames[:len(c.altNames)/2] + `"},`)
			}
			out.WriteString("]}")
			sink += out.Len()
			atomic.AddInt64(&served, 1)
		}
	}
}
