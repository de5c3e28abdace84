// auditd: request audit trail for an internal admin API. Every handled request
// produces a one-line audit record (method, route, principal, status, latency,
// client address) which is indexed by its X-Request-Id so that support can
// look a request up by the id printed in the client's error message.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"strings"
	"sync"
	"time"

	"workloads/obs"
)

var (
	rps        = flag.Int("rps", 5000, "requests per second")
	lookupRate = flag.Float64("lookup-ratio", 0.01, "fraction of requests that are audit lookups")
)

var (
	methods    = []string{"GET", "GET", "GET", "POST", "PUT", "DELETE"}
	routes     = []string{"/admin/v2/tenants/%d/users", "/admin/v2/tenants/%d/quotas", "/admin/v2/tenants/%d/billing/invoices", "/admin/v2/tenants/%d/keys", "/admin/v2/audit/export?tenant=%d"}
	principals = []string{"svc-billing", "svc-provisioner", "ops-oncall", "admin@corp.example", "svc-reporting", "svc-sso-bridge"}
)

type auditIndex struct {
	mu   sync.RWMutex
	byID map[string]string // request id -> audit line
}

func (a *auditIndex) record(id, line string) {
	a.mu.Lock()
	a.byID[id] = line
	a.mu.Unlock()
}

func (a *auditIndex) find(id string) (string, bool) {
	a.mu.RLock()
	l, ok := a.byID[id]
	a.mu.RUnlock()
	return l, ok
}

func (a *auditIndex) size() int {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return len(a.byID)
}

func newRequestID(rng *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-%04x-%012x", rng.Uint32(), rng.Intn(1<<16), rng.Intn(1<<16), rng.Int63()&(1<<48-1))
}

func formatAudit(rng *rand.Rand, now time.Time) string {
	var b strings.Builder
	b.WriteString(now.UTC().Format("2006-01-02T15:04:05.000Z"))
	b.WriteByte(' ')
	b.WriteString(methods[rng.Intn(len(methods))])
	b.WriteByte(' ')
	fmt.Fprintf(&b, routes[rng.Intn(len(routes))], 1000+rng.Intn(9000))
	fmt.Fprintf(&b, " principal=%s status=%d dur=%dus client=10.%d.%d.%d",
		principals[rng.Intn(len(principals))], []int{200, 200, 200, 201, 204, 403, 404}[rng.Intn(7)],
		150+rng.Intn(40000), rng.Intn(256), rng.Intn(256), rng.Intn(256))
	return b.String()
}

func main() {
	flag.Parse()
	obs.Start()
	idx := &auditIndex{byID: make(map[string]string)}
	rng := rand.New(rand.NewSource(7))
	recent := make([]string, 1024)
	var handled, found int64
	perTick := float64(*rps) / 100
	var acc float64
	tick := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	var lastResp string
	for {
		select {
		case now := <-tick.C:
			for acc += perTick; acc >= 1; acc-- {
				if handled > 1024 && rng.Float64() < *lookupRate {
					if l, ok := idx.find(recent[rng.Intn(len(recent))]); ok {
						lastResp = `{"audit":"` + l + `"}`
						found++
					}
					continue
				}
				id := newRequestID(rng)
				idx.record(id, formatAudit(rng, now))
				recent[handled%1024] = id
				handled++
			}
		case <-report.C:
			log.Printf("handled=%d lookups_found=%d indexed=%d last=%d", handled, found, idx.size(), len(lastResp))
		}
	}
}
