// shmbridge: zero-copy frame hand-off to a video-analytics sidecar. Each
// decoded camera frame group is written into a shared-memory segment created
// with memfd_create(2), ftruncate'd and mmap'd MAP_SHARED; the segment's fd is
// announced to the sidecar, which acknowledges it when it has consumed the
// frames, and only then does shmbridge munmap and close it. Frames for
// cameras whose sidecar stream was restarted are never acknowledged, and
// nothing times the pending segments out: their mappings and fds stay open.
// The memory is shmem (page cache backed by memfd), outside the Go heap.
package main

import (
	"expvar"
	"flag"
	"log"
	"math/rand"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"workloads/obs"
)

var (
	segsPerSec = flag.Int("segments-per-sec", 8, "segments per second")
	segKB      = flag.Int("segment-kb", 1024, "segment size")
	lostRatio  = flag.Float64("unacked-ratio", 0.5, "fraction of segments whose ack never comes")
)

const sysMemfdCreate = 319 // x86_64

type segment struct {
	fd   int
	mem  []byte
	seq  uint64
	cam  int
	sent time.Time
}

type bridge struct {
	mu      sync.Mutex
	pending map[uint64]*segment
	acked   int64
}

func memfd(name string) (int, error) {
	p, _ := syscall.BytePtrFromString(name)
	fd, _, e := syscall.Syscall(sysMemfdCreate, uintptr(unsafe.Pointer(p)), 1 /* MFD_CLOEXEC */, 0)
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

func (b *bridge) publish(seq uint64, cam int, size int, rng *rand.Rand) error {
	fd, err := memfd("frames")
	if err != nil {
		return err
	}
	if err := syscall.Ftruncate(fd, int64(size)); err != nil {
		return err
	}
	mem, err := syscall.Mmap(fd, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return err
	}
	// copy the decoded frames in (every page written)
	var px byte = byte(rng.Intn(256))
	for i := 0; i < len(mem); i += 64 {
		mem[i] = px
		px += 3
	}
	s := &segment{fd: fd, mem: mem, seq: seq, cam: cam, sent: time.Now()}
	b.mu.Lock()
	b.pending[seq] = s
	b.mu.Unlock()
	return nil
}

func (b *bridge) ack(seq uint64) {
	b.mu.Lock()
	s, ok := b.pending[seq]
	delete(b.pending, seq)
	b.acked++
	b.mu.Unlock()
	if ok {
		syscall.Munmap(s.mem)
		syscall.Close(s.fd)
	}
}

func main() {
	flag.Parse()
	b := &bridge{pending: make(map[uint64]*segment)}
	expvar.Publish("segments_pending", expvar.Func(func() any { b.mu.Lock(); defer b.mu.Unlock(); return len(b.pending) }))
	obs.Start()
	rng := rand.New(rand.NewSource(17))
	acks := make(chan uint64, 1024)
	go func() { // sidecar: acknowledges after ~200 ms
		for seq := range acks {
			time.Sleep(5 * time.Millisecond)
			b.ack(seq)
		}
	}()
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	perTick := float64(*segsPerSec) / 100
	var acc float64
	var seq uint64
	for {
		select {
		case <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				seq++
				cam := rng.Intn(64)
				if err := b.publish(seq, cam, *segKB<<10, rng); err != nil {
					log.Fatalf("publish: %v", err)
				}
				_ = make([]byte, 32<<10) // decode scratch
				if rng.Float64() >= *lostRatio {
					s := seq
					time.AfterFunc(200*time.Millisecond, func() { acks <- s })
				}
			}
		case <-report.C:
			b.mu.Lock()
			log.Printf("segments published=%d pending=%d acked=%d", seq, len(b.pending), b.acked)
			b.mu.Unlock()
		}
	}
}
