// tunneld: TLS-terminating tunnel front. Each accepted connection gets a
// session context from the C record-layer library (calloc'd state plus
// record buffers, registered in the library's session list); the handshake
// and records are processed in C. A built-in client opens short-lived
// connections over loopback at a fixed rate.
package main

/*
#cgo LDFLAGS: -lpthread
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <pthread.h>

typedef struct tl_session {
	struct tl_session *next;
	uint64_t id;
	int fd;
	int closed;
	unsigned char keys[256];
	unsigned char *rx;
	unsigned char *tx;
	size_t rx_cap, tx_cap;
	uint32_t sbox[1024];
} tl_session;

static tl_session *tl_sessions;  // library-wide registry
static uint64_t tl_next_id;
static pthread_mutex_t tl_lock = PTHREAD_MUTEX_INITIALIZER;

static tl_session *tl_session_new(int fd, size_t rx_cap, size_t tx_cap) {
	tl_session *s = calloc(1, sizeof(tl_session));
	s->fd = fd;
	s->rx_cap = rx_cap; s->tx_cap = tx_cap;
	s->rx = calloc(1, rx_cap);
	s->tx = calloc(1, tx_cap);
	for (int i = 0; i < 1024; i++) s->sbox[i] = (uint32_t)(i * 2654435761u) ^ (uint32_t)fd ^ (uint32_t)rx_cap;
	pthread_mutex_lock(&tl_lock);
	s->id = ++tl_next_id;
	s->next = tl_sessions;
	tl_sessions = s;
	pthread_mutex_unlock(&tl_lock);
	return s;
}

// handshake: derive keys and prime the record buffers
static void tl_handshake(tl_session *s, const unsigned char *hello, int n) {
	for (int i = 0; i < 256; i++) s->keys[i] = hello[i % n] ^ (unsigned char)s->sbox[i];
	memset(s->rx, 0x16, s->rx_cap);
	memset(s->tx, 0x17, s->tx_cap);
}

static int tl_seal(tl_session *s, const unsigned char *in, int n, unsigned char *out) {
	for (int i = 0; i < n; i++) { s->tx[i % s->tx_cap] = in[i]; out[i] = in[i] ^ s->keys[i & 255]; }
	return n;
}

// close marks the session; the registry keeps it until tl_reap (not called)
static void tl_session_close(tl_session *s) { s->closed = 1; }
*/
import "C"

import (
	"bufio"
	"flag"
	"io"
	"log"
	"math/rand"
	"net"
	"sync/atomic"
	"time"
	"unsafe"

	"workloads/obs"
)

var (
	connsPerSec = flag.Int("conns-per-sec", 60, "client connections per second")
	records     = flag.Int("records", 4, "records exchanged per connection")
	rxBytes     = flag.Int("rx-buffer", 16384, "record receive buffer per session")
	txBytes     = flag.Int("tx-buffer", 8192, "record send buffer per session")
)

var served, active int64

func handle(c net.Conn) {
	defer c.Close()
	atomic.AddInt64(&active, 1)
	defer atomic.AddInt64(&active, -1)
	fd := 0
	s := C.tl_session_new(C.int(fd), C.size_t(*rxBytes), C.size_t(*txBytes))
	defer C.tl_session_close(s)
	r := bufio.NewReader(c)
	hello := make([]byte, 64)
	if _, err := io.ReadFull(r, hello); err != nil {
		return
	}
	C.tl_handshake(s, (*C.uchar)(unsafe.Pointer(&hello[0])), C.int(len(hello)))
	buf := make([]byte, 512)
	out := make([]byte, 512)
	for {
		if _, err := io.ReadFull(r, buf); err != nil {
			break
		}
		n := C.tl_seal(s, (*C.uchar)(unsafe.Pointer(&buf[0])), C.int(len(buf)), (*C.uchar)(unsafe.Pointer(&out[0])))
		if _, err := c.Write(out[:n]); err != nil {
			break
		}
	}
	atomic.AddInt64(&served, 1)
}

func client(addr string) {
	rng := rand.New(rand.NewSource(4))
	msg := make([]byte, 512)
	reply := make([]byte, 512)
	for range time.Tick(time.Second / time.Duration(*connsPerSec)) {
		go func(seed int64) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				log.Printf("dial: %v", err)
				return
			}
			defer c.Close()
			hello := make([]byte, 64)
			for i := range hello {
				hello[i] = byte(seed + int64(i))
			}
			c.Write(hello)
			for i := 0; i < *records; i++ {
				c.Write(msg)
				if _, err := io.ReadFull(c, reply); err != nil {
					return
				}
			}
		}(rng.Int63())
	}
}

func main() {
	flag.Parse()
	obs.Start()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go client(ln.Addr().String())
	go func() {
		for range time.Tick(10 * time.Second) {
			log.Printf("sessions served=%d active=%d", atomic.LoadInt64(&served), atomic.LoadInt64(&active))
		}
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go handle(c)
	}
}
