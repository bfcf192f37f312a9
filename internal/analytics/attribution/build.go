package attribution

import (
	"cmp"
	"slices"
	"time"
)

// Touch is a touchpoint: an event on a customer's timeline with a channel
// (and, optionally, a campaign).
type Touch struct {
	Customer string
	Time     time.Time
	Channel  string
	Campaign string
}

// Conversion is a conversion event of a customer, with its value.
type Conversion struct {
	Customer string
	Time     time.Time
	Value    float64
}

// Dimension is what a path's channels name.
type Dimension string

// Dimensions of BuildOptions.By.
const (
	ByChannel  Dimension = "channel"
	ByCampaign Dimension = "campaign"
)

// NoLabel names the touches without a channel (or, keyed by campaign,
// without a campaign).
const NoLabel = "(none)"

// BuildOptions bounds which touchpoints count.
type BuildOptions struct {
	// Lookback keeps the touches at most this long before the conversion
	// (before End for non-converting paths); 0 keeps all.
	Lookback time.Duration
	// By keys the path by channel (the default) or campaign.
	By Dimension
	// End is the end of the analysis window: touches and conversions after
	// it are ignored, and the touches after a customer's last conversion form
	// a non-converting path ending at End (its lookback counts back from
	// End). Zero means no end: such a path ends at the customer's last touch.
	End time.Time
}

// Unattributed counts conversions that had no touchpoint in their lookback
// window; attribution leaves them out.
type Unattributed struct {
	Conversions float64 `json:"conversions"`
	Value       float64 `json:"value"`
}

// BuildPaths turns touchpoints and conversions into paths, one per
// conversion plus one non-converting path per customer with touches after
// their last conversion. A conversion's path holds the customer's touches
// after their previous conversion, within the lookback window, up to and
// including the conversion time, in time order (ties keep input order).
// Paths carry Times and ConvertedAt, so time decay applies.
func BuildPaths(touches []Touch, conversions []Conversion, opts BuildOptions) ([]Path, Unattributed) {
	byCustomer := map[string][]Touch{}
	for _, t := range touches {
		if opts.End.IsZero() || !t.Time.After(opts.End) {
			byCustomer[t.Customer] = append(byCustomer[t.Customer], t)
		}
	}
	convs := map[string][]Conversion{}
	var customers []string
	for _, c := range conversions {
		if !opts.End.IsZero() && c.Time.After(opts.End) {
			continue
		}
		if _, ok := convs[c.Customer]; !ok {
			customers = append(customers, c.Customer)
		}
		convs[c.Customer] = append(convs[c.Customer], c)
	}
	for cust := range byCustomer {
		if _, ok := convs[cust]; !ok {
			customers = append(customers, cust)
		}
	}
	slices.Sort(customers)
	var paths []Path
	var lost Unattributed
	for _, cust := range customers {
		ts := byCustomer[cust]
		slices.SortStableFunc(ts, func(a, b Touch) int { return a.Time.Compare(b.Time) })
		cs := convs[cust]
		slices.SortStableFunc(cs, func(a, b Conversion) int { return a.Time.Compare(b.Time) })
		next := 0 // first touch not yet used by a conversion
		for _, c := range cs {
			end := next
			for end < len(ts) && !ts[end].Time.After(c.Time) {
				end++
			}
			p := opts.path(ts[next:end], c.Time)
			next = end
			if len(p.Channels) == 0 {
				lost.Conversions++
				lost.Value += c.Value
				continue
			}
			p.ConvertedAt, p.Conversions, p.Value = c.Time, 1, c.Value
			paths = append(paths, p)
		}
		if rest := ts[next:]; len(rest) > 0 {
			ref := opts.End
			if ref.IsZero() {
				ref = rest[len(rest)-1].Time
			}
			if p := opts.path(rest, ref); len(p.Channels) > 0 {
				p.Nulls = 1
				paths = append(paths, p)
			}
		}
	}
	return paths, lost
}

// path keeps the touches within the lookback window before ref.
func (o BuildOptions) path(ts []Touch, ref time.Time) Path {
	var p Path
	for _, t := range ts {
		if o.Lookback > 0 && ref.Sub(t.Time) > o.Lookback {
			continue
		}
		label := cmp.Or(t.Channel, NoLabel)
		if o.By == ByCampaign {
			label = cmp.Or(t.Campaign, NoLabel)
		}
		p.Channels = append(p.Channels, label)
		p.Times = append(p.Times, t.Time)
	}
	return p
}
