package source

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/attribution"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// TouchQuery selects conversions and the touchpoints before them.
type TouchQuery struct {
	Conversion string    // the track event that is a conversion
	Value      string    // its property holding the value (dotted); "" values every conversion 0
	Internal   string    // the id of Cairn's internal source, whose events are never touches
	Until      time.Time // optional, exclusive
}

// Touch channel rules, in order: the marketing medium of the event's
// campaign context, a utm_medium property, else the channel of the source
// that sent the event (web, app, ...). A touch's campaign is
// context.campaign.name, else a utm_campaign property.
const (
	mediumContext   = "campaign.medium"
	mediumProperty  = "utm_medium"
	campaignContext = "campaign.name"
	campaignProp    = "utm_campaign"
)

// Touches reads, for every surviving profile (Customer = profile id), its
// conversions and its touchpoints: the track, page and screen events not of
// the internal source and not themselves conversions.
func Touches(ctx context.Context, st State, lg Log, q TouchQuery) ([]attribution.Touch, []attribution.Conversion, error) {
	var ts []attribution.Touch
	var cs []attribution.Conversion
	err := Each(ctx, st, Filter{Until: q.Until}, func(id string, es []store.TimelineEntry) error {
		keep := es[:0:0]
		for _, e := range es {
			if e.SourceID == q.Internal && q.Internal != "" {
				continue
			}
			switch e.Type {
			case "track", "page", "screen":
				keep = append(keep, e)
			}
		}
		if len(keep) == 0 {
			return nil
		}
		evs, err := Payloads(ctx, lg, keep)
		if err != nil {
			return fmt.Errorf("touches of %s: %w", id, err)
		}
		for _, e := range keep {
			ev := evs[e.Seq]
			if e.Type == "track" && e.Event == q.Conversion {
				v := 0.0
				if q.Value != "" {
					v, _ = Number(ev.Properties, q.Value)
				}
				cs = append(cs, attribution.Conversion{Customer: id, Time: e.Timestamp, Value: v})
				continue
			}
			ts = append(ts, touchOf(id, e.Timestamp, e.Channel, ev))
		}
		return nil
	})
	return ts, cs, err
}

func touchOf(id string, at time.Time, channel string, ev segment.Event) attribution.Touch {
	return attribution.Touch{
		Customer: id,
		Time:     at,
		Channel:  cmp.Or(String(ev.Context, mediumContext), String(ev.Properties, mediumProperty), channel),
		Campaign: cmp.Or(String(ev.Context, campaignContext), String(ev.Properties, campaignProp)),
	}
}
