package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/attribution"
	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

const attributionOnlineUsage = `usage: cairn analytics attribution [flags]
Multi-touch attribution of the server's conversions to the touches before them
(POST /v1/analytics/attribution). A touch's channel is context.campaign.medium,
else properties.utm_medium, else the sending source's channel.
With --paths FILE it runs offline on a path file instead
(cairn analytics attribution --paths FILE -h).
Flags:`

const clvOnlineUsage = `usage: cairn analytics clv [flags]
Customer lifetime value of the server's customers: BG/NBD + Gamma-Gamma fitted
to their purchases, in weeks (POST /v1/analytics/clv). --apply also writes
p_alive, predicted_purchases_90d and predicted_clv onto every customer as
computed traits (POST /v1/analytics/clv/apply).
With --transactions FILE it runs offline on a file instead
(cairn analytics clv --transactions FILE -h).
Flags:`

// fileOr runs file when args carry the flag naming the offline input and
// server otherwise.
func fileOr(flagName string, file, server analyticsModel) analyticsModel {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
		for _, a := range args {
			if a == "--" {
				break
			}
			name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if strings.HasPrefix(a, "-") && name == flagName {
				return file(ctx, args, stdout, stderr)
			}
		}
		return server(ctx, args, stdout, stderr)
	}
}

func analyticsAttributionOnline(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newOnlineCmd("attribution", attributionOnlineUsage, stderr)
	o.fs.String("conversion", "", "conversion event (server default Order Completed)")
	o.fs.String("value", "", `conversion property holding its value (server default revenue; "" values conversions 0)`)
	o.fs.String("lookback", "", `touches up to this long before a conversion count, such as 30d ("0": all; server default 30d)`)
	o.choice("by", "attribute to (server default channel)", "channel", "campaign")
	models := o.fs.String("models", "", "comma-separated models: first, last, linear, time_decay, position, markov, shapley (default all)")
	o.fs.Int("order", 0, "order of the Markov chain: 1, 2 or 3 (server default 1)")
	o.fs.Bool("nulls", false, "feed non-converting paths into the Markov chain")
	o.fs.String("half-life", "", "half-life of the time_decay model, such as 7d (server default 7d)")
	if _, ok := o.parse(args); !ok {
		return 2
	}
	body, err := o.body("", map[string]string{"conversion": "conversion", "value": "value", "lookback": "lookback", "by": "by",
		"order": "order", "nulls": "include_nulls", "half-life": "half_life"})
	if err != nil {
		return fail(stderr, err)
	}
	if m := splitList(*models); len(m) > 0 && !(len(m) == 1 && m[0] == "all") {
		body["models"] = m
	}
	return call(ctx, o, "POST", "/v1/analytics/attribution", body, stdout, printAttributionOnline)
}

// attributionAnswer is the attribution response.
type attributionAnswer struct {
	attribution.Result
	Conversion   string                   `json:"conversion"`
	By           string                   `json:"by"`
	Lookback     string                   `json:"lookback"`
	Touches      int                      `json:"touches"`
	Unattributed attribution.Unattributed `json:"unattributed"`
}

func printAttributionOnline(w io.Writer, r *attributionAnswer) {
	fmt.Fprintf(w, "%q attributed by %s from %d touches, lookback %s; unattributed: %s conversions, value %s\n",
		r.Conversion, r.By, r.Touches, r.Lookback, num(r.Unattributed.Conversions), num(r.Unattributed.Value))
	printAttribution(w, r.Result)
	for _, n := range r.Notes {
		fmt.Fprintln(w, "note:", n)
	}
}

func analyticsCLVOnline(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := newOnlineCmd("clv", clvOnlineUsage, stderr)
	o.fs.String("event", "", "purchase event (server default Order Completed)")
	o.fs.String("revenue", "", `purchase property holding its value (server default revenue; "" values purchases 0)`)
	calEnd := o.fs.String("calibration-end", "", "last day fitted, YYYY-MM-DD or an RFC 3339 time (server default now)")
	o.fs.Float64("horizon-weeks", 0, "CLV horizon in weeks (server default 52)")
	o.fs.Float64("discount-rate", 0, "annual discount rate, e.g. 0.1 for 10% a year (server default 0.1)")
	apply := o.fs.Bool("apply", false, "write p_alive, predicted_purchases_90d and predicted_clv onto every customer")
	if _, ok := o.parse(args); !ok {
		return 2
	}
	body, err := o.body("", map[string]string{"event": "event", "revenue": "revenue", "horizon-weeks": "horizon_weeks",
		"discount-rate": "discount_rate"})
	if err != nil {
		return fail(stderr, err)
	}
	if *calEnd != "" {
		end, err := time.Parse(time.RFC3339Nano, *calEnd)
		if err != nil {
			if end, err = parseDay(*calEnd); err != nil {
				return o.usageErr("--calibration-end: " + err.Error())
			}
		}
		body["calibration_end"] = end.Format(time.RFC3339Nano)
	}
	if *apply {
		return call(ctx, o, "POST", "/v1/analytics/clv/apply", body, stdout, func(w io.Writer, r *clvApplied) {
			fmt.Fprintf(w, "wrote %s onto %d customers; %d profiles changed\n", strings.Join(r.Traits, ", "), r.Customers, r.ProfilesChanged)
		})
	}
	return call(ctx, o, "POST", "/v1/analytics/clv", body, stdout, printCLVOnline)
}

// clvApplied is the answer of POST /v1/analytics/clv/apply.
type clvApplied struct {
	Customers       int      `json:"customers"`
	ProfilesChanged int      `json:"profiles_changed"`
	Traits          []string `json:"traits"`
}

// clvAnswer is the answer of POST /v1/analytics/clv.
type clvAnswer struct {
	Event          string          `json:"event"`
	Revenue        string          `json:"revenue"`
	CalibrationEnd time.Time       `json:"calibration_end"`
	HorizonWeeks   float64         `json:"horizon_weeks"`
	DiscountRate   float64         `json:"discount_rate"`
	Transactions   int             `json:"transactions"`
	MissingRevenue int             `json:"missing_revenue"`
	BGNBD          clv.BGNBD       `json:"bg_nbd"`
	BGNBDFit       clv.FitReport   `json:"bg_nbd_fit"`
	GammaGamma     *clv.GammaGamma `json:"gamma_gamma"`
	GammaGammaFit  *clv.FitReport  `json:"gamma_gamma_fit"`
	Population     struct {
		Customers         int     `json:"customers"`
		Repeaters         int     `json:"repeaters"`
		ExpectedPurchases float64 `json:"expected_purchases"`
		TotalCLV          float64 `json:"total_clv"`
	} `json:"population"`
	Top []struct {
		ProfileID string `json:"profile_id"`
		X         int    `json:"x"`
		clv.Value
	} `json:"top"`
	Notes []string `json:"notes"`
}

func printCLVOnline(w io.Writer, r *clvAnswer) {
	p := r.Population
	fmt.Fprintf(w, "%q valued by %q: %d purchases by %d customers (%d with repeat purchases), %d without a numeric value; calibration ends %s\n",
		r.Event, r.Revenue, r.Transactions, p.Customers, p.Repeaters, r.MissingRevenue, r.CalibrationEnd.UTC().Format(time.DateOnly))
	fmt.Fprintf(w, "BG/NBD: %s\n", paramString(r.BGNBD))
	printFit(w, &r.BGNBDFit)
	if r.GammaGamma != nil && r.GammaGammaFit != nil {
		fmt.Fprintf(w, "Gamma-Gamma: %s\n", paramString(*r.GammaGamma))
		printFit(w, r.GammaGammaFit)
	}
	fmt.Fprintf(w, "over %g weeks: %.1f expected purchases; CLV %.2f in total discounted at %g%% a year\n",
		r.HorizonWeeks, p.ExpectedPurchases, p.TotalCLV, 100*r.DiscountRate)
	for _, n := range r.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	fmt.Fprintln(w, "\nTOP CUSTOMERS")
	tw := newTable(w)
	fmt.Fprintln(tw, "PROFILE\tREPEATS\tP(ALIVE)\tEXPECTED PURCHASES\tEXPECTED SPEND\tCLV")
	for _, c := range r.Top {
		spend, value := "-", "-" // no spend model
		if r.GammaGamma != nil {
			spend, value = num(c.Spend), num(c.CLV)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.2f\t%s\t%s\n", c.ProfileID, c.X, c.PAlive, c.Purchases, spend, value)
	}
	tw.Flush()
}
