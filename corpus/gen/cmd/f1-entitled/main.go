// entitled: entitlement/permission resolver. Loads the whole role graph
// (principals -> groups -> roles -> grants, a pointer-rich DAG) into memory at
// start and answers "can principal P do action A on resource R" by walking it
// on a few worker goroutines. Each check allocates a visited set and a path.
package main

import (
	"flag"
	"log"
	"math/rand"
	"strconv"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	nodes   = flag.Int("nodes", 900000, "graph nodes (principals, groups, roles, grants)")
	fanout  = flag.Int("fanout", 4, "edges per node")
	workers = flag.Int("workers", 2, "check workers")
	maxVisit = flag.Int("max-visit", 4000, "visit budget per check")
	cps      = flag.Int("checks-per-sec", 4000, "access checks per second per worker (0 = as fast as possible)")
)

type node struct {
	id      uint32
	kind    uint8
	name    string
	parents []*node
	actions uint64
}

func build(n, k int, rng *rand.Rand) []*node {
	kinds := []string{"principal:", "group:", "role:", "grant:"}
	all := make([]*node, n)
	for i := range all {
		kd := uint8(i * 4 / n)
		all[i] = &node{id: uint32(i), kind: kd, name: kinds[kd] + strconv.Itoa(i) + ".corp", actions: rng.Uint64()}
	}
	for i, nd := range all {
		nd.parents = make([]*node, k)
		for j := range nd.parents {
			// edges point "up" the hierarchy (towards higher indices)
			nd.parents[j] = all[i+rng.Intn(n-i)]
		}
	}
	return all
}

func check(start *node, action uint64, budget int) (bool, []uint32) {
	visited := make(map[*node]struct{}, 256)
	path := make([]uint32, 0, 64)
	stack := []*node{start}
	for len(stack) > 0 && len(visited) < budget {
		nd := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, ok := visited[nd]; ok {
			continue
		}
		visited[nd] = struct{}{}
		path = append(path, nd.id)
		if nd.kind == 3 && nd.actions&action == action {
			return true, path
		}
		stack = append(stack, nd.parents...)
	}
	return false, path
}

func main() {
	flag.Parse()
	obs.Start()
	rng := rand.New(rand.NewSource(5))
	t0 := time.Now()
	graph := build(*nodes, *fanout, rng)
	log.Printf("role graph loaded: %d nodes in %v", len(graph), time.Since(t0).Round(time.Millisecond))
	var checks, allowed int64
	for w := 0; w < *workers; w++ {
		go func(seed int64) {
			r := rand.New(rand.NewSource(seed))
			var tick <-chan time.Time
			per := *cps / 100
			if per > 0 {
				tick = time.Tick(10 * time.Millisecond)
			}
			for i := 0; ; i++ {
				if tick != nil && i%per == 0 {
					<-tick
				}
				p := graph[r.Intn(len(graph)/4)]
				ok, _ := check(p, 1<<uint(r.Intn(64))|1<<uint(r.Intn(64)), *maxVisit)
				atomic.AddInt64(&checks, 1)
				if ok {
					atomic.AddInt64(&allowed, 1)
				}
			}
		}(int64(w) + 100)
	}
	for range time.Tick(10 * time.Second) {
		log.Printf("checks=%d allowed=%d nodes=%d", atomic.LoadInt64(&checks), atomic.LoadInt64(&allowed), len(graph))
	}
}
