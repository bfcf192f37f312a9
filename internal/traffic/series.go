package traffic

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// series counts events per source and minute over a sliding window.
type series struct {
	mu      sync.Mutex
	window  int // minutes kept
	sources map[string]*sourceSeries
}

type sourceSeries struct {
	name, channel string
	counts        map[int64]int64 // unix minute → events
}

func newSeries(window time.Duration) *series {
	return &series{window: max(int(window/time.Minute), 1), sources: map[string]*sourceSeries{}}
}

func (s *series) add(src store.Source, at time.Time, n int) {
	if n == 0 {
		return
	}
	minute := at.Unix() / 60
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sources[src.ID]
	if ss == nil {
		ss = &sourceSeries{counts: map[int64]int64{}}
		s.sources[src.ID] = ss
	}
	ss.name, ss.channel = src.Name, src.Channel
	ss.counts[minute] += int64(n)
	if len(ss.counts) > s.window+1 {
		for m := range ss.counts {
			if m <= minute-int64(s.window) {
				delete(ss.counts, m)
			}
		}
	}
}

// SourceSeries is one source's events per minute, oldest first.
type SourceSeries struct {
	SourceID   string  `json:"source_id"`
	SourceName string  `json:"source_name"`
	Channel    string  `json:"channel"`
	Counts     []int64 `json:"counts"`
	Total      int64   `json:"total"`
}

// Series is events per minute per source for the minutes ending at now.
type Series struct {
	Start   time.Time      `json:"start"` // the first minute
	Minutes int            `json:"minutes"`
	Sources []SourceSeries `json:"sources"` // busiest first
}

// Series reads the last minutes (at most the window) ending with the minute
// of now.
func (h *Hub) Series(now time.Time, minutes int) Series {
	s := h.series
	minutes = min(max(minutes, 1), s.window)
	last := now.Unix() / 60
	first := last - int64(minutes) + 1
	out := Series{Start: time.Unix(first*60, 0).UTC(), Minutes: minutes, Sources: []SourceSeries{}}
	s.mu.Lock()
	for id, ss := range s.sources {
		row := SourceSeries{SourceID: id, SourceName: ss.name, Channel: ss.channel, Counts: make([]int64, minutes)}
		for m, c := range ss.counts {
			if m >= first && m <= last {
				row.Counts[m-first] += c
				row.Total += c
			}
		}
		if row.Total > 0 {
			out.Sources = append(out.Sources, row)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out.Sources, func(a, b SourceSeries) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.SourceName, b.SourceName))
	})
	return out
}
