// searchd: product search node. Holds a flat in-memory posting index (one
// small entry per (term, product) plus the term strings), answers queries,
// and ingests catalogue update files: each update file is read into a buffer
// in one go, parsed, and the title of the updated product is kept in a
// "recently updated" list for the merchandising dashboard.
package main

import (
	"bytes"
	"flag"
	"log"
	"math/rand"
	"strconv"
	"sync"
	"time"

	"workloads/obs"
)

var (
	postings     = flag.Int("postings", 1000000, "posting entries in the index")
	terms        = flag.Int("terms", 200000, "distinct terms")
	queriesPer   = flag.Int("queries-per-sec", 3000, "queries per second")
	updatesPer   = flag.Float64("updates-per-sec", 1.5, "catalogue update files per second")
	updateKiB    = flag.Int("update-kib", 1024, "size of an update file (KiB)")
)

type posting struct {
	product uint32
	weight  float32
	next    *posting
}

type term struct {
	text  string
	head  *posting
	count int
}

type recent struct {
	title []byte
	at    int64
}

type index struct {
	mu      sync.RWMutex
	terms   []*term
	byText  map[string]*term
	recent  []recent
}

func build(rng *rand.Rand) *index {
	ix := &index{byText: make(map[string]*term, *terms)}
	for i := 0; i < *terms; i++ {
		t := &term{text: "t" + strconv.FormatInt(int64(i)*2654435761%1000000007, 36)}
		ix.terms = append(ix.terms, t)
		ix.byText[t.text] = t
	}
	for i := 0; i < *postings; i++ {
		t := ix.terms[rng.Intn(len(ix.terms))]
		t.head = &posting{product: uint32(rng.Intn(5000000)), weight: rng.Float32(), next: t.head}
		t.count++
	}
	return ix
}

// readUpdate stands in for reading a whole update file into memory.
func readUpdate(rng *rand.Rand, seq int) []byte {
	buf := make([]byte, *updateKiB<<10)
	hdr := "product_id=" + strconv.Itoa(rng.Intn(5000000)) + "\ntitle=Ergonomic office chair model " + strconv.Itoa(seq) + "\nprice=199.00\n"
	n := copy(buf, hdr)
	for i := n; i < len(buf); i += 64 {
		buf[i] = '\n'
	}
	return buf
}

var sink int

func main() {
	flag.Parse()
	obs.Start()
	rng := rand.New(rand.NewSource(23))
	ix := build(rng)
	log.Printf("index built: %d terms, %d postings", len(ix.terms), *postings)
	var queries, updates int
	var qa, ua float64
	t := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	for {
		select {
		case <-t.C:
			ix.mu.RLock()
			for qa += float64(*queriesPer) / 100; qa >= 1; qa-- {
				q := ix.terms[rng.Intn(len(ix.terms))].text
				res := make([]uint32, 0, 32)
				for p := ix.byText[q].head; p != nil && len(res) < 32; p = p.next {
					res = append(res, p.product)
				}
				sink += len(res)
				queries++
			}
			ix.mu.RUnlock()
			for ua += *updatesPer / 100; ua >= 1; ua-- {
				buf := readUpdate(rng, updates)
				i := bytes.Index(buf, []byte("title="))
				j := bytes.IndexByte(buf[i:], '\n')
				title := buf[i+6 : i+j]
				ix.mu.Lock()
				ix.recent = append(ix.recent, recent{title: title, at: time.Now().UnixNano()})
				ix.mu.Unlock()
				updates++
			}
		case <-report.C:
			ix.mu.RLock()
			log.Printf("queries=%d updates=%d recent=%d", queries, updates, len(ix.recent))
			ix.mu.RUnlock()
		}
	}
}
