// hookrelay: webhook relay. Accepts events from the internal bus (simulated
// here at -events-per-sec), renders each into a JSON webhook delivery and
// queues it per subscriber endpoint; one sender per endpoint posts deliveries
// to the (simulated) subscriber, which answers slowly. Deliveries stay queued
// until acknowledged, so that they can be retried.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"sync"
	"time"
)

type delivery struct {
	ID       uint64
	Endpoint int
	Body     []byte
	Headers  map[string]string
	Attempts int
	Queued   time.Time
}

type endpointQueue struct {
	mu      sync.Mutex
	pending []*delivery
}

type event struct {
	ID      uint64            `json:"id"`
	Type    string            `json:"type"`
	Account string            `json:"account"`
	At      time.Time         `json:"at"`
	Attrs   map[string]string `json:"attrs"`
	Payload string            `json:"payload"`
}

func main() {
	eventsPerSec := flag.Int("events-per-sec", 6000, "incoming bus events per second")
	endpoints := flag.Int("endpoints", 16, "subscriber endpoints")
	sendLatency := flag.Duration("send-latency", 20*time.Millisecond, "subscriber response time per delivery")
	payloadBytes := flag.Int("payload-bytes", 900, "event payload size")
	flag.Parse()

	queues := make([]*endpointQueue, *endpoints)
	for i := range queues {
		queues[i] = &endpointQueue{}
	}
	var sent, queued uint64
	var statMu sync.Mutex
	for i := range queues {
		q := queues[i]
		go func() {
			for {
				time.Sleep(*sendLatency)
				q.mu.Lock()
				if len(q.pending) > 0 {
					d := q.pending[0]
					d.Attempts++
					q.pending = q.pending[1:]
					statMu.Lock()
					sent++
					statMu.Unlock()
				}
				q.mu.Unlock()
			}
		}()
	}

	rng := rand.New(rand.NewSource(7))
	types := []string{"invoice.paid", "order.created", "order.shipped", "user.updated", "refund.issued"}
	payload := bytes.Repeat([]byte("x"), *payloadBytes)
	var id uint64
	tick := 100 * time.Millisecond
	perTick := *eventsPerSec / 10
	start := time.Now()
	lastLog := start
	for next := start; ; next = next.Add(tick) {
		for k := 0; k < perTick; k++ {
			id++
			for j := range payload {
				payload[j] = byte('a' + rng.Intn(26))
			}
			ev := event{ID: id, Type: types[rng.Intn(len(types))], Account: fmt.Sprintf("acct_%07d", rng.Intn(2000000)),
				At: time.Now(), Attrs: map[string]string{"region": "eu-west-1", "source": "billing", "trace": fmt.Sprintf("%016x", rng.Uint64())},
				Payload: string(payload)}
			body, err := json.Marshal(&ev)
			if err != nil {
				log.Fatal(err)
			}
			ep := rng.Intn(*endpoints)
			d := &delivery{ID: id, Endpoint: ep, Body: body, Queued: time.Now(),
				Headers: map[string]string{"Content-Type": "application/json", "X-Hook-Id": fmt.Sprint(id), "X-Hook-Signature": fmt.Sprintf("sha256=%016x%016x", rng.Uint64(), rng.Uint64())}}
			q := queues[ep]
			q.mu.Lock()
			q.pending = append(q.pending, d)
			q.mu.Unlock()
			queued++
		}
		if time.Since(lastLog) >= 5*time.Second {
			lastLog = time.Now()
			backlog := 0
			for _, q := range queues {
				q.mu.Lock()
				backlog += len(q.pending)
				q.mu.Unlock()
			}
			statMu.Lock()
			s := sent
			statMu.Unlock()
			log.Printf("queued=%d sent=%d backlog=%d elapsed=%s", queued, s, backlog, time.Since(start).Round(time.Second))
		}
		if d := time.Until(next.Add(tick)); d > 0 {
			time.Sleep(d)
		}
	}
}
