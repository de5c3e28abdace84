// ssogw: single-sign-on gateway. Each login creates a session record in an
// in-process table keyed by the 64-bit session id carried in the cookie;
// authenticated requests look the session up, check expiry and refresh it.
package main

import (
	"flag"
	"log"
	"math/rand"
	"strconv"
	"sync"
	"time"

	"workloads/obs"
)

var (
	loginsPerSec = flag.Int("logins-per-sec", 6000, "new logins per second")
	authPerSec   = flag.Int("auth-per-sec", 12000, "authenticated requests per second")
	sessionTTL   = flag.Duration("session-ttl", 30*time.Minute, "session lifetime")
)

// session is stored by value in the table (~300 bytes).
type session struct {
	userID       uint64
	tenantID     uint32
	authLevel    uint16
	mfa          bool
	createdAt    int64
	lastSeen     int64
	expiresAt    int64
	subject      string
	email        string
	clientIP     string
	userAgent    string
	refreshToken string
	lastPath     string
	idp          string
	scopes       []string
	roles        []string
	geo          [2]float64
	deviceID     [16]byte
	csrf         [32]byte
	requests     uint64
	bytesOut     uint64
}

type sessionTable struct {
	mu   sync.RWMutex
	byID map[uint64]session
}

var (
	agents = []string{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
		"okhttp/4.12.0"}
	paths  = []string{"/app/dashboard", "/app/settings", "/api/v2/orders", "/api/v2/invoices", "/app/reports/q1"}
	idps   = []string{"okta", "azuread", "google", "local"}
	scopeSets = [][]string{{"openid", "profile", "email"}, {"openid", "profile", "email", "orders:read"}, {"openid", "admin"}}
)

func newSession(rng *rand.Rand, now int64) session {
	uid := rng.Uint64() >> 24
	s := session{userID: uid, tenantID: uint32(rng.Intn(3000)), authLevel: 1, createdAt: now, lastSeen: now,
		expiresAt: now + int64(*sessionTTL),
		subject:   "usr_" + strconv.FormatUint(uid, 36),
		email:     "user" + strconv.FormatUint(uid%1000000, 10) + "@corp-" + strconv.Itoa(rng.Intn(3000)) + ".example",
		clientIP:  strconv.Itoa(10+rng.Intn(200)) + "." + strconv.Itoa(rng.Intn(256)) + "." + strconv.Itoa(rng.Intn(256)) + "." + strconv.Itoa(rng.Intn(256)),
		userAgent: agents[rng.Intn(len(agents))],
		refreshToken: "rt_" + strconv.FormatUint(rng.Uint64(), 36) + strconv.FormatUint(rng.Uint64(), 36),
		lastPath:  paths[rng.Intn(len(paths))],
		idp:       idps[rng.Intn(len(idps))],
		geo:       [2]float64{rng.Float64()*180 - 90, rng.Float64()*360 - 180},
	}
	s.scopes = append([]string(nil), scopeSets[rng.Intn(len(scopeSets))]...)
	if rng.Intn(10) == 0 {
		s.roles = []string{"billing-admin"}
		s.mfa = true
	}
	rng.Read(s.deviceID[:])
	rng.Read(s.csrf[:])
	return s
}

var sink string

func main() {
	flag.Parse()
	obs.Start()
	tbl := &sessionTable{byID: make(map[uint64]session)}
	rng := rand.New(rand.NewSource(11))
	recent := make([]uint64, 0, 65536)
	var logins, authOK, authExpired int64
	loginTick, authTick := float64(*loginsPerSec)/100, float64(*authPerSec)/100
	var la, aa float64
	t := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	for {
		select {
		case <-t.C:
			now := time.Now().UnixNano()
			tbl.mu.Lock()
			for la += loginTick; la >= 1; la-- {
				id := rng.Uint64()
				tbl.byID[id] = newSession(rng, now)
				if len(recent) < cap(recent) {
					recent = append(recent, id)
				} else {
					recent[rng.Intn(len(recent))] = id
				}
				logins++
			}
			for aa += authTick; aa >= 1; aa-- {
				id := recent[rng.Intn(len(recent))]
				s, ok := tbl.byID[id]
				if !ok {
					continue
				}
				if s.expiresAt < now {
					authExpired++ // rejected; the record stays until logout
					continue
				}
				s.lastSeen = now
				s.requests++
				s.lastPath = paths[rng.Intn(len(paths))]
				tbl.byID[id] = s
				sink = s.subject + "|" + s.lastPath
				authOK++
			}
			tbl.mu.Unlock()
		case <-report.C:
			tbl.mu.RLock()
			n := len(tbl.byID)
			tbl.mu.RUnlock()
			log.Printf("logins=%d auth_ok=%d auth_expired=%d sessions=%d", logins, authOK, authExpired, n)
		}
	}
}
