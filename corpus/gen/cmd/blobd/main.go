// blobd: serves byte ranges of content-addressed blobs stored in large pack
// files. A range request (4-64 KiB, at a uniformly random blob offset) is
// answered with pread(2) from the pack file through the page cache and its
// CRC32 is verified before it would be sent. Packs are opened read-only;
// nothing is mmap'd.
//
// With -mkfiles it only creates the pack files (fsync'd and dropped from the
// page cache with POSIX_FADV_DONTNEED) and exits.
package main

import (
	"flag"
	"fmt"
	"hash/crc32"
	"log"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"
	"syscall"
	"time"

	"workloads/obs"
)

var (
	dir     = flag.String("dir", "/var/lib/blobd/packs", "pack directory")
	mkfiles = flag.Bool("mkfiles", false, "create the pack files and exit")
	npacks  = flag.Int("packs", 8, "number of packs (with -mkfiles)")
	packMB  = flag.Int("pack-mb", 50, "pack size in MiB (with -mkfiles)")
	workers = flag.Int("workers", 4, "range-serving goroutines")
	minKB   = flag.Int("min-range-kb", 4, "smallest range request")
	maxKB   = flag.Int("max-range-kb", 64, "largest range request")
)

const fadvDontneed = 4

func makePacks() {
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	rng := rand.New(rand.NewSource(7))
	buf := make([]byte, 1<<20)
	for i := 0; i < *npacks; i++ {
		p := filepath.Join(*dir, fmt.Sprintf("pack-%04x.blob", i))
		f, err := os.Create(p)
		if err != nil {
			log.Fatal(err)
		}
		for j := 0; j < *packMB; j++ {
			rng.Read(buf)
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

type pack struct {
	f    *os.File
	size int64
}

func openPacks() []pack {
	paths, _ := filepath.Glob(filepath.Join(*dir, "pack-*.blob"))
	sort.Strings(paths)
	if len(paths) == 0 {
		log.Fatalf("no packs in %s", *dir)
	}
	var ps []pack
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			log.Fatal(err)
		}
		st, _ := f.Stat()
		ps = append(ps, pack{f, st.Size()})
	}
	return ps
}

var served, bytesOut, crcAcc uint64

func serveRanges(ps []pack, seed int64) {
	rng := rand.New(rand.NewSource(seed))
	buf := make([]byte, *maxKB<<10)
	for {
		p := ps[rng.Intn(len(ps))]
		n := (*minKB + rng.Intn(*maxKB-*minKB+1)) << 10
		off := rng.Int63n(p.size-int64(n)) &^ 4095
		m, err := p.f.ReadAt(buf[:n], off)
		if err != nil {
			log.Printf("read range: %v", err)
			continue
		}
		atomic.AddUint64(&crcAcc, uint64(crc32.ChecksumIEEE(buf[:m])))
		atomic.AddUint64(&served, 1)
		atomic.AddUint64(&bytesOut, uint64(m))
	}
}

func main() {
	flag.Parse()
	if *mkfiles {
		makePacks()
		return
	}
	obs.Start()
	ps := openPacks()
	var total int64
	for _, p := range ps {
		total += p.size
	}
	log.Printf("serving ranges from %d packs, %d MiB", len(ps), total>>20)
	for w := 0; w < *workers; w++ {
		go serveRanges(ps, int64(w+1))
	}
	for range time.Tick(10 * time.Second) {
		log.Printf("ranges=%d bytes=%d crc=%x", atomic.LoadUint64(&served), atomic.LoadUint64(&bytesOut), atomic.LoadUint64(&crcAcc))
	}
}
