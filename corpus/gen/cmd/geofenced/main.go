// geofenced: answers "which delivery zones contain this point?" queries.
// The zone polygons (pointer-rich: every vertex links back to its zone) are
// loaded at start into a grid index; query workers test candidate zones and
// render a small JSON answer per query.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"strconv"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	zones    = flag.Int("zones", 60000, "delivery zones (polygons)")
	vertices = flag.Int("vertices", 80, "vertices per zone polygon")
	workers  = flag.Int("workers", 2, "query workers")
	gridSide = flag.Int("grid", 256, "grid index cells per side")
	reqBytes = flag.Int("request-bytes", 2048, "decoded request body size")
)

type vertex struct {
	lat, lon float64
	zone     *zone
}

type zone struct {
	id     int
	name   string
	region string
	poly   []*vertex
	minLat float64
	minLon float64
	maxLat float64
	maxLon float64
}

type index struct {
	cells [][]*zone
	all   []*zone
}

func load(rng *rand.Rand) *index {
	ix := &index{cells: make([][]*zone, *gridSide**gridSide)}
	for i := 0; i < *zones; i++ {
		z := &zone{id: i, name: "zone-" + strconv.Itoa(i), region: fmt.Sprintf("region-%02d", i%40)}
		cLat, cLon := rng.Float64(), rng.Float64()
		r := 0.002 + rng.Float64()*0.004
		z.minLat, z.minLon, z.maxLat, z.maxLon = 2, 2, -1, -1
		for v := 0; v < *vertices; v++ {
			a := float64(v) / float64(*vertices) * 6.2831853
			p := &vertex{lat: cLat + r*sin(a), lon: cLon + r*cos(a), zone: z}
			z.poly = append(z.poly, p)
			z.minLat, z.maxLat = minf(z.minLat, p.lat), maxf(z.maxLat, p.lat)
			z.minLon, z.maxLon = minf(z.minLon, p.lon), maxf(z.maxLon, p.lon)
		}
		ix.cells[ix.cell(cLat, cLon)] = append(ix.cells[ix.cell(cLat, cLon)], z)
		ix.all = append(ix.all, z)
	}
	return ix
}

func (ix *index) cell(lat, lon float64) int {
	x, y := int(lat*float64(*gridSide)), int(lon*float64(*gridSide))
	if x < 0 {
		x = 0
	}
	if y < 0 {
		y = 0
	}
	if x >= *gridSide {
		x = *gridSide - 1
	}
	if y >= *gridSide {
		y = *gridSide - 1
	}
	return x**gridSide + y
}

func (z *zone) contains(lat, lon float64) bool {
	in := false
	n := len(z.poly)
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		a, b := z.poly[i], z.poly[j]
		if (a.lon > lon) != (b.lon > lon) && lat < (b.lat-a.lat)*(lon-a.lon)/(b.lon-a.lon)+a.lat {
			in = !in
		}
	}
	return in
}

var queries, hits int64

func query(ix *index, rng *rand.Rand) string {
	body := make([]byte, *reqBytes)
	rng.Read(body[:64])
	lat, lon := rng.Float64(), rng.Float64()
	var matched []*zone
	for _, z := range ix.cells[ix.cell(lat, lon)] {
		if lat >= z.minLat && lat <= z.maxLat && lon >= z.minLon && lon <= z.maxLon && z.contains(lat, lon) {
			matched = append(matched, z)
		}
	}
	names := make([]string, 0, len(matched)+1)
	for _, z := range matched {
		names = append(names, strconv.Quote(z.name))
		atomic.AddInt64(&hits, 1)
	}
	return fmt.Sprintf(`{"lat":%f,"lon":%f,"zones":%v,"trace":%q}`, lat, lon, names, body[:16])
}

func main() {
	flag.Parse()
	obs.Start()
	t0 := time.Now()
	ix := load(rand.New(rand.NewSource(12)))
	log.Printf("zones loaded: %d in %v", len(ix.all), time.Since(t0))
	for w := 0; w < *workers; w++ {
		go func(w int) {
			rng := rand.New(rand.NewSource(int64(w)))
			for {
				_ = query(ix, rng)
				atomic.AddInt64(&queries, 1)
			}
		}(w)
	}
	for range time.Tick(10 * time.Second) {
		log.Printf("queries=%d hits=%d", atomic.LoadInt64(&queries), atomic.LoadInt64(&hits))
	}
}

func minf(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

// small polynomial approximations, good enough for synthetic polygons
func sin(x float64) float64 {
	for x > 3.14159265 {
		x -= 6.2831853
	}
	x3 := x * x * x
	return x - x3/6 + x3*x*x/120 - x3*x3*x/5040
}

func cos(x float64) float64 { return sin(x + 1.5707963) }
