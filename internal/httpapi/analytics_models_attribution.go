package httpapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/attribution"
	"github.com/cairn-cdp/cairn/internal/analytics/source"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// attributionRequest is the body of POST /v1/analytics/attribution.
type attributionRequest struct {
	Conversion   string   `json:"conversion"`    // default "Order Completed"
	Value        *string  `json:"value"`         // default "revenue"; "" values conversions 0
	Lookback     string   `json:"lookback"`      // default "30d"; "0" keeps every earlier touch
	By           string   `json:"by"`            // channel (default) or campaign
	Models       []string `json:"models"`        // default all
	Order        int      `json:"order"`         // Markov order 1-3
	IncludeNulls bool     `json:"include_nulls"` // feed non-converting paths into Markov
	HalfLife     string   `json:"half_life"`     // time decay, default 7d
}

// attributionResponse is the model result plus what was left out.
type attributionResponse struct {
	attribution.Result
	Conversion   string                   `json:"conversion"`
	By           string                   `json:"by"`
	Lookback     string                   `json:"lookback"`
	End          time.Time                `json:"end"`
	Touches      int                      `json:"touches"`
	Unattributed attribution.Unattributed `json:"unattributed"`
	// ChannelRule says how a touch's channel and campaign are read.
	ChannelRule string `json:"channel_rule"`
}

const channelRule = "channel = context.campaign.medium, else properties.utm_medium, else the sending source's channel; " +
	"campaign = context.campaign.name, else properties.utm_campaign; touches are track, page and screen events " +
	"not from Cairn's internal source and not themselves conversions"

func parseSpan(field, s string) (time.Duration, error) {
	if s == "" || s == "0" {
		return 0, nil
	}
	d, err := segment.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, badField(field, "%s must be a duration such as 30d or 12h, got %q", field, s)
	}
	return time.Duration(d), nil
}

// modelAttribution attributes the stored conversions to the touches before them.
func (s *Server) modelAttribution(w http.ResponseWriter, r *http.Request) error {
	q := attributionRequest{Lookback: "30d"}
	if err := decode(r, &q); err != nil {
		return err
	}
	q.Conversion = cmp.Or(q.Conversion, defaultPurchase)
	if q.Value == nil {
		q.Value = new(defaultRevenue)
	}
	lookback, err := parseSpan("lookback", q.Lookback)
	if err != nil {
		return err
	}
	halfLife, err := parseSpan("half_life", q.HalfLife)
	if err != nil {
		return err
	}
	by := attribution.Dimension(cmp.Or(q.By, string(attribution.ByChannel)))
	if by != attribution.ByChannel && by != attribution.ByCampaign {
		return badField("by", "by must be channel or campaign, got %q", q.By)
	}
	ctx := r.Context()
	internal, err := s.internalSourceID(ctx)
	if err != nil {
		return err
	}
	end := s.d.Clock.Now().UTC()
	tq := source.TouchQuery{Conversion: q.Conversion, Value: *q.Value, Internal: internal, Until: end.Add(time.Nanosecond)}
	touches, convs, err := s.touches(ctx, tq)
	if err != nil {
		return err
	}
	paths, lost := attribution.BuildPaths(touches, convs, attribution.BuildOptions{Lookback: lookback, By: by, End: end})
	res, err := attribution.Run(paths, q.Models, attribution.Options{Order: q.Order, IncludeNulls: q.IncludeNulls, HalfLife: halfLife})
	if err != nil {
		if errors.Is(err, attribution.ErrUnknownModel) || errors.Is(err, attribution.ErrBadOptions) {
			return &Error{Code: CodeInvalid, Message: err.Error(), err: err}
		}
		return err
	}
	writeResult(w, r, attributionResponse{Result: res, Conversion: q.Conversion, By: string(by), Lookback: q.Lookback,
		End: end, Touches: len(touches), Unattributed: lost, ChannelRule: channelRule})
	return nil
}

// touches reads every customer's touches and conversions: from the analytics
// projection when there is one (no per-profile timeline queries), else from
// the store.
func (s *Server) touches(ctx context.Context, q source.TouchQuery) ([]attribution.Touch, []attribution.Conversion, error) {
	if s.d.Histories == nil {
		return source.Touches(ctx, s.d.State, s.d.Log, q)
	}
	c := source.NewTouchCollector(q)
	if _, err := s.d.Histories.Scan(ctx, source.TouchNeed(q.Internal), c); err != nil {
		return nil, nil, fmt.Errorf("scan touches: %w", err)
	}
	return c.Touches, c.Conversions, nil
}
