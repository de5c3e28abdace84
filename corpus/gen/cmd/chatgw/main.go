// chatgw: chat gateway for event live-streams. Each stream has a chat room;
// while the stream is live every message is appended to the room history.
// When the stream ends the room is archived: the history is cut down to the
// last -scrollback messages (shown as the replay scrollback) and the room is
// kept for replay viewers.
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
	roomsPerSec = flag.Float64("rooms-per-sec", 12, "new live streams per second")
	liveFor     = flag.Duration("live-for", 3*time.Second, "how long a stream is live")
	msgsPerRoom = flag.Int("messages-per-room", 1000, "chat messages per live stream")
	scrollback  = flag.Int("scrollback", 50, "messages kept when a room is archived")
	bodyMin     = flag.Int("body-min", 120, "minimum message body bytes")
	bodyMax     = flag.Int("body-max", 240, "maximum message body bytes")
)

type message struct {
	id     int64
	at     int64
	author string
	body   []byte
	flags  uint32
}

type room struct {
	id       string
	started  time.Time
	live     bool
	posted   int
	history  []*message
	viewers  int
}

type gateway struct {
	mu    sync.Mutex
	rooms map[string]*room
	live  []*room
}

var authors = []string{"night_owl", "gg_ez", "mod_bot", "streamfan42", "lurker", "hype_train", "cozy_cat", "pixel_pete"}

func newMessage(rng *rand.Rand, seq int64) *message {
	n := *bodyMin + rng.Intn(*bodyMax-*bodyMin+1)
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + (i*7+int(seq))%26)
	}
	return &message{id: seq, at: time.Now().UnixNano(), author: authors[rng.Intn(len(authors))], body: b}
}

func (r *room) archive() {
	r.live = false
	if len(r.history) > *scrollback {
		r.history = r.history[len(r.history)-*scrollback:]
	}
}

var sink int

func main() {
	flag.Parse()
	obs.Start()
	g := &gateway{rooms: make(map[string]*room)}
	rng := rand.New(rand.NewSource(17))
	var seq, rooms, archived int64
	var ra float64
	perTickPerRoom := float64(*msgsPerRoom) / liveFor.Seconds() / 100
	t := time.NewTicker(10 * time.Millisecond)
	report := time.NewTicker(10 * time.Second)
	acc := map[*room]float64{}
	for {
		select {
		case now := <-t.C:
			g.mu.Lock()
			for ra += *roomsPerSec / 100; ra >= 1; ra-- {
				r := &room{id: "live-" + strconv.FormatInt(rooms, 36), started: now, live: true}
				g.rooms[r.id] = r
				g.live = append(g.live, r)
				rooms++
			}
			keep := g.live[:0]
			for _, r := range g.live {
				for acc[r] += perTickPerRoom; acc[r] >= 1; acc[r]-- {
					seq++
					r.history = append(r.history, newMessage(rng, seq))
					r.posted++
				}
				if now.Sub(r.started) >= *liveFor {
					r.archive()
					delete(acc, r)
					archived++
					continue
				}
				keep = append(keep, r)
			}
			for i := len(keep); i < len(g.live); i++ {
				g.live[i] = nil
			}
			g.live = keep
			// replay viewers read the scrollback of a few archived rooms
			for i := 0; i < 20 && rooms > 0; i++ {
				r := g.rooms["live-"+strconv.FormatInt(rng.Int63n(rooms), 36)]
				if r != nil && !r.live {
					for _, m := range r.history {
						sink += len(m.body)
					}
					r.viewers++
				}
			}
			g.mu.Unlock()
		case <-report.C:
			g.mu.Lock()
			log.Printf("rooms=%d live=%d archived=%d messages=%d", len(g.rooms), len(g.live), archived, seq)
			g.mu.Unlock()
		}
	}
}
