// heapgen writes a large, real Go heap profile for bench/pprof.ts: with MemProfileRate = 1
// every allocation is recorded, and each (stack, size) pair becomes its own sample, so a few
// thousand stacks times a spread of sizes give a profile of about 16k samples.
// Stdlib only; built at bench time with GOPROXY=off.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
)

type record struct {
	id, seen int64
	name     string
}

var (
	index       map[int64]*record // one large map: its bucket arrays are the map-shaped objects
	journal     []byte            // one large slice
	keepMaps    []map[string][]byte
	keepSlices  [][]int64
	keepStrings []string
	keepBufs    [][]byte
)

// walk descends through one of two functions per bit of path, so every path is a distinct
// stack reaching the same allocation lines (pprof keys samples by stack and object size).
func walk(level, path, kind, n int) {
	if level == 0 {
		allocate(kind, n)
		return
	}
	if path&1 == 0 {
		left(level-1, path>>1, kind, n)
	} else {
		right(level-1, path>>1, kind, n)
	}
}

func left(level, path, kind, n int)  { walk(level, path, kind, n) }
func right(level, path, kind, n int) { walk(level, path, kind, n) }

func allocate(kind, n int) {
	switch kind {
	case 0: // map growth
		m := make(map[string][]byte)
		for i := 0; i < n*4; i++ {
			m["k"+strconv.Itoa(i)] = make([]byte, 8+i%64)
		}
		if n%3 == 0 {
			keepMaps = append(keepMaps, m)
		}
	case 1: // slices of varied capacity
		s := make([]int64, 0, n)
		for i := 0; i < n*3; i++ {
			s = append(s, int64(i))
		}
		if n%2 == 0 {
			keepSlices = append(keepSlices, s)
		}
	case 2: // strings
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(fmt.Sprintf("item-%d;", i))
		}
		if n%2 == 1 {
			keepStrings = append(keepStrings, b.String())
		}
	default: // byte buffers of many sizes
		buf := make([]byte, 64+n*37)
		if n%4 == 0 {
			keepBufs = append(keepBufs, buf)
		}
	}
}

func main() {
	runtime.MemProfileRate = 1
	out := "heap.pb.gz"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	index = make(map[int64]*record)
	for i := 0; i < 200000; i++ {
		index[int64(i)*7919] = &record{id: int64(i)}
	}
	journal = make([]byte, 4<<20)
	for path := 0; path < 432; path++ {
		for kind := 0; kind < 4; kind++ {
			for _, n := range []int{1 + path%7, 9 + path%23, 40 + path%61} {
				walk(9, path, kind, n)
			}
		}
	}
	runtime.GC()
	f, err := os.Create(out)
	if err != nil {
		panic(err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}
