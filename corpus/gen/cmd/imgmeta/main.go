// imgmeta: image metadata service for a photo library. The metadata of every
// image in the library (EXIF block, dimensions, album, labels) is held in
// memory; requests look images up and decode their EXIF block into a JSON
// response.
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"log"
	"math/rand"
	"strconv"
	"sync/atomic"
	"time"

	"workloads/obs"
)

var (
	images    = flag.Int("images", 300000, "images in the library")
	exifBytes = flag.Int("exif-bytes", 384, "raw EXIF block per image")
	rps       = flag.Int("rps", 2000, "metadata requests per second")
)

type image struct {
	ID     int64
	Path   string
	Album  string
	Width  int
	Height int
	Labels []string
	exif   []byte
}

type library struct {
	byID   []*image
	byPath map[string]*image
}

func load(rng *rand.Rand) *library {
	l := &library{byPath: make(map[string]*image, *images)}
	for i := 0; i < *images; i++ {
		im := &image{ID: int64(i), Path: "/library/2023/" + strconv.Itoa(i/1000) + "/IMG_" + strconv.Itoa(i) + ".jpg", Album: "album-" + strconv.Itoa(i%900),
			Width: 4032, Height: 3024, Labels: []string{"label" + strconv.Itoa(i%300), "label" + strconv.Itoa(i%77)}, exif: make([]byte, *exifBytes)}
		rng.Read(im.exif)
		l.byID = append(l.byID, im)
		l.byPath[im.Path] = im
	}
	return l
}

type exifTag struct {
	Tag   uint16 `json:"tag"`
	Value uint32 `json:"value"`
}

func (l *library) describe(id int64) []byte {
	im := l.byID[id]
	var tags []exifTag
	for off := 0; off+6 <= len(im.exif); off += 6 {
		tags = append(tags, exifTag{Tag: binary.BigEndian.Uint16(im.exif[off:]), Value: binary.BigEndian.Uint32(im.exif[off+2:])})
	}
	out, _ := json.Marshal(struct {
		*image
		Exif []exifTag `json:"exif"`
	}{im, tags})
	return out
}

func main() {
	flag.Parse()
	obs.Start()
	t0 := time.Now()
	l := load(rand.New(rand.NewSource(4)))
	log.Printf("library loaded: images=%d in %v", len(l.byID), time.Since(t0))
	var served int64
	go func() {
		rng := rand.New(rand.NewSource(5))
		per := *rps / 100
		for range time.Tick(10 * time.Millisecond) {
			for i := 0; i < per; i++ {
				_ = l.describe(rng.Int63n(int64(len(l.byID))))
				atomic.AddInt64(&served, 1)
			}
		}
	}()
	for range time.Tick(10 * time.Second) {
		log.Printf("requests=%d", atomic.LoadInt64(&served))
	}
}
