// mqbridge: bridges messages from an internal queue to a legacy C framing
// library (length-prefixed frames with a CRC trailer). Each message is copied
// into a C buffer, framed by the C library and written out; the C buffer is
// returned to the allocator when the frame is acknowledged as a redelivery.
package main

/*
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint32_t crc_step(uint32_t c, unsigned char b) {
	c ^= b;
	for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	return c;
}

// frame_message frames msg[0:n] in place inside buf (which has room for the
// 8-byte header and 4-byte trailer) and returns the frame length.
static int frame_message(unsigned char *buf, int n, uint32_t seq) {
	memmove(buf + 8, buf, n);
	buf[0] = 0xF1; buf[1] = 0x5A;
	buf[2] = (n >> 8) & 0xff; buf[3] = n & 0xff;
	memcpy(buf + 4, &seq, 4);
	uint32_t c = 0xFFFFFFFFu;
	for (int i = 8; i < n + 8; i += 16) c = crc_step(c, buf[i]);
	memcpy(buf + 8 + n, &c, 4);
	return n + 12;
}
*/
import "C"

import (
	"flag"
	"log"
	"math/rand"
	"sync/atomic"
	"time"
	"unsafe"

	"workloads/obs"
)

var (
	msgsPerSec    = flag.Int("msgs-per-sec", 1200, "messages per second")
	minMsg        = flag.Int("min-msg-bytes", 1024, "minimum message size")
	maxMsg        = flag.Int("max-msg-bytes", 4096, "maximum message size")
	redeliveryPct = flag.Float64("redelivery-ratio", 0.05, "fraction of messages that are redeliveries")
)

var written, framedBytes int64

type message struct {
	seq        uint32
	redelivery bool
	body       []byte
}

func forward(m *message) {
	n := len(m.body)
	buf := (*C.uchar)(C.malloc(C.size_t(n + 12)))
	C.memcpy(unsafe.Pointer(buf), unsafe.Pointer(&m.body[0]), C.size_t(n))
	fl := C.frame_message(buf, C.int(n), C.uint32_t(m.seq))
	out := C.GoBytes(unsafe.Pointer(buf), fl) // socket write (stand-in)
	atomic.AddInt64(&framedBytes, int64(len(out)))
	atomic.AddInt64(&written, 1)
	if m.redelivery {
		// redeliveries are acked immediately: release the frame buffer
		C.free(unsafe.Pointer(buf))
	}
	// first deliveries: buffer handed to the ack tracker (which only keeps the seq)
}

func main() {
	flag.Parse()
	obs.Start()
	r := rand.New(rand.NewSource(21))
	queue := make(chan *message, 4096)
	go func() {
		for m := range queue {
			forward(m)
		}
	}()
	go func() {
		for range time.Tick(10 * time.Second) {
			log.Printf("frames=%d bytes=%dMiB", atomic.LoadInt64(&written), atomic.LoadInt64(&framedBytes)>>20)
		}
	}()
	perTick := *msgsPerSec / 100
	var seq uint32
	for range time.Tick(10 * time.Millisecond) {
		for i := 0; i < perTick; i++ {
			seq++
			body := make([]byte, *minMsg+r.Intn(*maxMsg-*minMsg+1))
			for j := 0; j < len(body); j += 32 {
				body[j] = byte(seq) + byte(j)
			}
			queue <- &message{seq: seq, redelivery: r.Float64() < *redeliveryPct, body: body}
		}
	}
}
