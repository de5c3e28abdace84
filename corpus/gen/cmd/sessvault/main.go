// sessvault: an in-memory web session store. At start it restores sessions
// from a snapshot (each session carries a serialized attribute blob of
// 512 B to 4 KiB), then after a warm-up the idle-timeout sweep expires the
// sessions whose last access is older than the cutoff (last-access times are
// spread at random, so the expired ones are scattered all over the heap).
// From then on it serves lookups; a share of requests log in (new session)
// and the same number of sessions expire, so the session count stays flat.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"time"

	"workloads/obs"
)

var (
	snapshotMB  = flag.Int("snapshot-mb", 300, "size of the restored session snapshot (MiB)")
	minBlob     = flag.Int("min-blob", 512, "smallest session attribute blob (bytes)")
	maxBlob     = flag.Int("max-blob", 4096, "largest session attribute blob (bytes)")
	sweepAfter  = flag.Duration("sweep-after", 8*time.Second, "when the first idle-timeout sweep runs")
	expireShare = flag.Float64("expire-share", 0.85, "share of restored sessions past the idle timeout")
	rps         = flag.Int("rps", 3000, "lookups per second after the sweep")
	loginEvery  = flag.Int("login-every", 20, "one request in N is a login (new session, one expiry)")
	respBytes   = flag.Int("response-bytes", 2048, "max size of a rendered response")
)

type session struct {
	id       string
	userID   uint64
	created  int64
	lastSeen int64
	csrf     [16]byte
	attrs    []byte
}

func newSession(rng *rand.Rand, now int64, seq uint64) *session {
	n := *minBlob + rng.Intn(*maxBlob-*minBlob+1)
	s := &session{id: fmt.Sprintf("s-%016x", rng.Uint64()), userID: seq, created: now, lastSeen: now - rng.Int63n(3600), attrs: make([]byte, n)}
	for i := 0; i < n; i += 64 {
		s.attrs[i] = byte(seq >> (i % 48))
	}
	return s
}

func main() {
	flag.Parse()
	obs.Start()
	rng := rand.New(rand.NewSource(41))
	t0 := time.Now()
	store := map[string]*session{}
	var ids []string
	total := 0
	now := t0.Unix()
	for seq := uint64(0); total < *snapshotMB<<20; seq++ {
		s := newSession(rng, now, seq)
		store[s.id] = s
		ids = append(ids, s.id)
		total += len(s.attrs) + 96
	}
	log.Printf("restored %d sessions (%d MiB) in %v", len(store), total>>20, time.Since(t0))
	time.Sleep(time.Until(t0.Add(*sweepAfter)))

	// idle-timeout sweep: last-access times are random, so expiry is scattered
	cutoff := now - int64(float64(3600)*(1-*expireShare))
	live := ids[:0]
	for _, id := range ids {
		if store[id].lastSeen < cutoff {
			delete(store, id)
		} else {
			live = append(live, id)
		}
	}
	ids = live
	log.Printf("idle sweep: %d sessions remain", len(store))

	perTick := *rps / 100
	var sink []byte
	var served, logins int64
	last := time.Now()
	for range time.Tick(10 * time.Millisecond) {
		ts := time.Now().Unix()
		for i := 0; i < perTick; i++ {
			k := rng.Intn(len(ids))
			s := store[ids[k]]
			s.lastSeen = ts
			resp := make([]byte, 128+rng.Intn(*respBytes))
			copy(resp[128:], s.attrs)
			sink = resp
			served++
			if rng.Intn(*loginEvery) == 0 {
				// a random session expires, a new one logs in
				j := rng.Intn(len(ids))
				delete(store, ids[j])
				ns := newSession(rng, ts, uint64(served))
				store[ns.id] = ns
				ids[j] = ns.id
				logins++
			}
		}
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			log.Printf("served=%d logins=%d sessions=%d", served, logins, len(store))
		}
	}
	_ = sink
}
