// searchidx: an in-memory full-text search node. At start it indexes a
// document shard (stored document summaries plus an inverted index of
// term -> posting list); afterwards it only serves queries, which intersect
// posting lists and render a result page.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	docs         = flag.Int("docs", 250000, "documents in the shard")
	termsPerDoc  = flag.Int("terms-per-doc", 40, "distinct terms per document")
	vocab        = flag.Int("vocab", 200000, "vocabulary size")
	summaryBytes = flag.Int("summary-bytes", 320, "stored summary per document")
	qps          = flag.Int("qps", 300, "queries per second")
)

type doc struct {
	id      uint32
	url     string
	title   string
	summary string
}

type shard struct {
	docs     []*doc
	postings map[string][]uint32
}

func term(i int) string { return "t" + strconv.Itoa(i) }

func build(rng *rand.Rand) *shard {
	s := &shard{postings: make(map[string][]uint32, *vocab)}
	letters := "abcdefghijklmnopqrstuvwxyz     "
	for i := 0; i < *docs; i++ {
		b := make([]byte, *summaryBytes)
		rng.Read(b)
		for j := range b {
			b[j] = letters[int(b[j])%len(letters)]
		}
		d := &doc{id: uint32(i), url: "https://example.org/p/" + strconv.Itoa(i), title: "Document " + strconv.Itoa(i), summary: string(b)}
		s.docs = append(s.docs, d)
		for t := 0; t < *termsPerDoc; t++ {
			// Zipf-ish term choice
			k := term(int(float64(*vocab) * rng.Float64() * rng.Float64()))
			s.postings[k] = append(s.postings[k], d.id)
		}
	}
	return s
}

func (s *shard) search(rng *rand.Rand) string {
	a := s.postings[term(rng.Intn(2000))]
	b := s.postings[term(rng.Intn(20000))]
	set := make(map[uint32]struct{}, len(a))
	for _, id := range a {
		set[id] = struct{}{}
	}
	var hits []uint32
	for _, id := range b {
		if _, ok := set[id]; ok {
			hits = append(hits, id)
		}
	}
	if len(hits) == 0 {
		hits = a
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i] < hits[j] })
	var sb strings.Builder
	for i, id := range hits {
		if i == 10 {
			break
		}
		d := s.docs[id]
		fmt.Fprintf(&sb, "<li><a href=%q>%s</a><p>%s</p></li>", d.url, d.title, d.summary[:160])
	}
	return sb.String()
}

func main() {
	flag.Parse()
	obs.Start()
	t0 := time.Now()
	s := build(rand.New(rand.NewSource(2)))
	log.Printf("shard indexed: docs=%d terms=%d in %v", len(s.docs), len(s.postings), time.Since(t0))
	var served int64
	go func() {
		rng := rand.New(rand.NewSource(3))
		per := *qps / 100
		if per < 1 {
			per = 1
		}
		for range time.Tick(10 * time.Millisecond) {
			for i := 0; i < per; i++ {
				_ = s.search(rng)
				atomic.AddInt64(&served, 1)
			}
		}
	}()
	for range time.Tick(10 * time.Second) {
		log.Printf("queries=%d", atomic.LoadInt64(&served))
	}
}
