// uploadgw: ingestion gateway for signed document uploads. Each upload body
// (a JSON envelope with a base64 payload, 512 KiB-1 MiB) is read, turned into
// a string for parsing, and its 16-character upload token is extracted and
// remembered in a token registry so that a replayed upload is rejected.
package main

import (
	"flag"
	"io"
	"log"
	"math/rand"
	"strings"
	"sync"
	"time"

	"workloads/obs"
)

var (
	uploadsPerSec = flag.Int("uploads-per-sec", 4, "uploads per second")
	minBody       = flag.Int("min-body-kb", 512, "minimum upload body size (KiB)")
	maxBody       = flag.Int("max-body-kb", 1024, "maximum upload body size (KiB)")
)

// uploadSource stands in for the request body stream.
type uploadSource struct {
	rng  *rand.Rand
	left int
	hdr  []byte
	off  int
}

const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

func newUpload(rng *rand.Rand, size int, seq int) *uploadSource {
	tok := make([]byte, 16)
	for i := range tok {
		tok[i] = b64[rng.Intn(62)]
	}
	hdr := []byte(`{"tenant":"t-` + itoa(rng.Intn(4000)) + `","upload_token":"` + string(tok) + `","content_type":"application/pdf","seq":` + itoa(seq) + `,"payload":"`)
	return &uploadSource{rng: rng, left: size, hdr: hdr}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

func (u *uploadSource) Read(p []byte) (int, error) {
	if u.left == 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && u.left > 0 {
		if u.off < len(u.hdr) {
			p[n] = u.hdr[u.off]
			u.off++
		} else if u.left == 2 {
			p[n] = '"'
		} else if u.left == 1 {
			p[n] = '}'
		} else {
			p[n] = b64[(n*31+u.left)&63]
		}
		n++
		u.left--
	}
	return n, nil
}

type tokenRegistry struct {
	mu   sync.Mutex
	seen map[string]int64 // upload token -> accepted at (unix ms)
}

func (r *tokenRegistry) admit(tok string, at int64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.seen[tok]; dup {
		return false
	}
	r.seen[tok] = at
	return true
}

func (r *tokenRegistry) size() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

func readBody(src io.Reader, size int) []byte {
	body := make([]byte, size)
	_, _ = io.ReadFull(src, body)
	return body
}

// uploadToken finds the "upload_token" field in the envelope.
func uploadToken(env string) string {
	const key = `"upload_token":"`
	i := strings.Index(env, key)
	if i < 0 {
		return ""
	}
	i += len(key)
	return env[i : i+16]
}

var bytesStored int64

func handleUpload(reg *tokenRegistry, src io.Reader, size int) bool {
	body := readBody(src, size)
	env := string(body)
	tok := uploadToken(env)
	if tok == "" || !reg.admit(tok, time.Now().UnixMilli()) {
		return false
	}
	// payload goes to object storage (stand-in: count it)
	if j := strings.Index(env, `"payload":"`); j >= 0 {
		bytesStored += int64(len(env) - j)
	}
	return true
}

func main() {
	flag.Parse()
	obs.Start()
	reg := &tokenRegistry{seen: make(map[string]int64)}
	rng := rand.New(rand.NewSource(11))
	var accepted, rejected int
	tick := time.NewTicker(time.Second / time.Duration(*uploadsPerSec))
	report := time.NewTicker(10 * time.Second)
	seq := 0
	for {
		select {
		case <-tick.C:
			size := (*minBody + rng.Intn(*maxBody-*minBody+1)) << 10
			seq++
			if handleUpload(reg, newUpload(rng, size, seq), size) {
				accepted++
			} else {
				rejected++
			}
		case <-report.C:
			log.Printf("accepted=%d rejected=%d tokens=%d stored=%dMiB", accepted, rejected, reg.size(), bytesStored>>20)
		}
	}
}
