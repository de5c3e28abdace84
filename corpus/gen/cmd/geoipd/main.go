// geoipd: IP geolocation lookup service. Loads a range database (sorted
// network ranges with location records) once at start, then answers
// lookups; each lookup builds a small JSON answer. Runs with GOMEMLIMIT set
// by the platform.
package main

import (
	"flag"
	"log"
	"math/rand"
	"sort"
	"strconv"
	"time"

	"workloads/obs"
)

var (
	ranges     = flag.Int("ranges", 700000, "network ranges in the database")
	locations  = flag.Int("locations", 120000, "distinct location records")
	lookupsPer = flag.Int("lookups-per-sec", 20000, "lookups per second")
)

type location struct {
	country, region, city, tz string
	lat, lon                  float64
	asn                       uint32
	org                       string
}

type span struct {
	start, end uint32
	loc        *location
}

type db struct {
	spans []span
	locs  []*location
}

var countries = []string{"DE", "FR", "US", "GB", "JP", "BR", "IN", "NL", "SE", "PL"}

func load(rng *rand.Rand) *db {
	d := &db{}
	for i := 0; i < *locations; i++ {
		c := countries[rng.Intn(len(countries))]
		d.locs = append(d.locs, &location{country: c, region: c + "-" + strconv.Itoa(rng.Intn(40)),
			city: "city-" + strconv.Itoa(i), tz: "Europe/Berlin", lat: rng.Float64()*180 - 90, lon: rng.Float64()*360 - 180,
			asn: uint32(rng.Intn(65000)), org: "AS" + strconv.Itoa(rng.Intn(65000)) + " Example Networks GmbH"})
	}
	starts := make([]uint32, *ranges)
	for i := range starts {
		starts[i] = rng.Uint32()
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	d.spans = make([]span, len(starts))
	for i, s := range starts {
		e := ^uint32(0)
		if i+1 < len(starts) {
			e = starts[i+1] - 1
		}
		d.spans[i] = span{s, e, d.locs[rng.Intn(len(d.locs))]}
	}
	return d
}

func (d *db) lookup(ip uint32) *location {
	i := sort.Search(len(d.spans), func(i int) bool { return d.spans[i].end >= ip })
	if i < len(d.spans) && d.spans[i].start <= ip {
		return d.spans[i].loc
	}
	return nil
}

var sink []byte

func answer(ip uint32, l *location) []byte {
	b := make([]byte, 0, 512)
	b = append(b, `{"ip":"`...)
	b = strconv.AppendUint(b, uint64(ip>>24), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(ip>>16&255), 10)
	b = append(b, `","country":"`...)
	b = append(b, l.country...)
	b = append(b, `","city":"`...)
	b = append(b, l.city...)
	b = append(b, `","lat":`...)
	b = strconv.AppendFloat(b, l.lat, 'f', 4, 64)
	b = append(b, `,"lon":`...)
	b = strconv.AppendFloat(b, l.lon, 'f', 4, 64)
	b = append(b, `,"org":"`...)
	b = append(b, l.org...)
	b = append(b, `"}`...)
	return b
}

// The database also keeps a raw copy of the loaded file for /v1/db/export.
var rawDB [][]byte

func main() {
	flag.Parse()
	obs.Start()
	rng := rand.New(rand.NewSource(31))
	d := load(rng)
	for i := 0; i < 72; i++ { // 72 MiB raw file kept in 1 MiB pages
		p := make([]byte, 1<<20)
		for j := 0; j < len(p); j += 512 {
			p[j] = byte(i + j)
		}
		rawDB = append(rawDB, p)
	}
	log.Printf("loaded %d ranges, %d locations", len(d.spans), len(d.locs))
	var n int64
	var acc float64
	t := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	for {
		select {
		case <-t.C:
			for acc += float64(*lookupsPer) / 100; acc >= 1; acc-- {
				ip := rng.Uint32()
				if l := d.lookup(ip); l != nil {
					sink = answer(ip, l)
					tmp := make([]string, 0, 8)
					tmp = append(tmp, l.country, l.region, l.city, l.org)
					sink = append(sink, tmp[rng.Intn(4)]...)
				}
				n++
			}
		case <-report.C:
			log.Printf("lookups=%d", n)
		}
	}
}
