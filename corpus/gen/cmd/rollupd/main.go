// rollupd: an analytics rollup job over a columnar table. Each column is an
// immutable file of little-endian int64 values, mmap'd read-only. Every
// pass scans all columns front to back (per-column sum, min, max and a
// 64-bucket histogram) and publishes the rollup; then the next pass starts
// over from the first column.
//
// With -mkfiles it only creates the column files (fsync'd and dropped from
// the page cache with POSIX_FADV_DONTNEED) and exits.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"time"
	"unsafe"

	"workloads/obs"
)

var (
	dir      = flag.String("dir", "/var/lib/rollupd/table", "column directory")
	mkfiles  = flag.Bool("mkfiles", false, "create the column files and exit")
	ncols    = flag.Int("columns", 6, "number of columns (with -mkfiles)")
	colMB    = flag.Int("column-mb", 50, "column size in MiB (with -mkfiles)")
	advice   = flag.String("madvise", "sequential", "access advice for the mappings: sequential | normal")
	passWait = flag.Duration("pass-interval", 0, "pause between passes")
)

const fadvDontneed = 4

func makeColumns() {
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	rng := rand.New(rand.NewSource(11))
	buf := make([]byte, 1<<20)
	for i := 0; i < *ncols; i++ {
		p := filepath.Join(*dir, fmt.Sprintf("col-%02d.i64", i))
		f, err := os.Create(p)
		if err != nil {
			log.Fatal(err)
		}
		for j := 0; j < *colMB; j++ {
			for k := 0; k < len(buf); k += 8 {
				binary.LittleEndian.PutUint64(buf[k:], uint64(rng.Int63n(1<<40)))
			}
			if _, err := f.Write(buf); err != nil {
				log.Fatal(err)
			}
		}
		if err := f.Sync(); err != nil {
			log.Fatal(err)
		}
		if _, _, e := syscall.Syscall6(syscall.SYS_FADVISE64, f.Fd(), 0, 0, fadvDontneed, 0, 0); e != 0 {
			log.Fatal(e)
		}
		f.Close()
		log.Printf("wrote %s", p)
	}
}

type column struct {
	name string
	vals []int64
}

func openColumns() []column {
	paths, _ := filepath.Glob(filepath.Join(*dir, "col-*.i64"))
	sort.Strings(paths)
	if len(paths) == 0 {
		log.Fatalf("no columns in %s", *dir)
	}
	var cols []column
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			log.Fatal(err)
		}
		st, _ := f.Stat()
		m, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
		if err != nil {
			log.Fatal(err)
		}
		f.Close()
		if *advice == "sequential" {
			if err := syscall.Madvise(m, syscall.MADV_SEQUENTIAL); err != nil {
				log.Fatal(err)
			}
		}
		vals := unsafe.Slice((*int64)(unsafe.Pointer(&m[0])), len(m)/8)
		cols = append(cols, column{filepath.Base(p), vals})
	}
	return cols
}

type rollup struct {
	sum, min, max int64
	hist          [64]int64
}

func scanColumn(c column) rollup {
	r := rollup{min: 1 << 62}
	for _, v := range c.vals {
		r.sum += v
		if v < r.min {
			r.min = v
		}
		if v > r.max {
			r.max = v
		}
		r.hist[(v>>34)&63]++
	}
	return r
}

func main() {
	flag.Parse()
	if *mkfiles {
		makeColumns()
		return
	}
	obs.Start()
	cols := openColumns()
	var total int
	for _, c := range cols {
		total += len(c.vals) * 8
	}
	log.Printf("mapped %d columns, %d MiB", len(cols), total>>20)
	for pass := 1; ; pass++ {
		t0 := time.Now()
		results := make(map[string]rollup, len(cols))
		for _, c := range cols {
			results[c.name] = scanColumn(c)
		}
		var s int64
		for _, r := range results {
			s += r.sum
		}
		log.Printf("pass %d: %d columns in %v (checksum %d)", pass, len(results), time.Since(t0).Round(time.Millisecond), s)
		time.Sleep(*passWait)
	}
}
