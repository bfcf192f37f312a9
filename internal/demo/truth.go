package demo

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Truth holds the parameters planted in a data set, for analytics tests to
// recover. Obtain it with Truths(cfg) using the Config given to Generate.
type Truth struct {
	Seed            uint64     `json:"seed"`
	Customers       int        `json:"customers"`
	Start           time.Time  `json:"start"`
	End             time.Time  `json:"end"`
	PurchaseEvent   string     `json:"purchase_event"`   // every purchase is one such event
	RevenueProperty string     `json:"revenue_property"` // order value = this property
	BGNBD           BGNBD      `json:"bgnbd"`
	GammaGamma      GammaGamma `json:"gamma_gamma"`
	DirectMail      DirectMail `json:"direct_mail"`

	w *world
}

// BGNBD are the parameters of the repeat-purchase process of every customer
// who has made a first purchase: while alive, purchases arrive as a Poisson
// process with rate λ ~ Gamma(shape R, rate Alpha) per week; right after each
// repeat purchase the customer drops out with probability p ~ Beta(A, B).
type BGNBD struct {
	R        float64 `json:"r"`
	Alpha    float64 `json:"alpha"`
	A        float64 `json:"a"`
	B        float64 `json:"b"`
	TimeUnit string  `json:"time_unit"` // "week"
}

// GammaGamma are the spend parameters: each order's revenue z ~ Gamma(shape P,
// rate ν) with the customer's ν ~ Gamma(shape Q, rate Gamma), so a customer's
// mean order value is P/ν and the population mean is P·Gamma/(Q−1).
type GammaGamma struct {
	P     float64 `json:"p"`
	Q     float64 `json:"q"`
	Gamma float64 `json:"gamma"`
}

// DirectMail is the randomized experiment planted on the direct-mail channel.
// Every signed-up customer is assigned by a stable hash of (seed, index): a
// ControlShare holdout never receives catalogs. At each wave, a signed-up
// customer without any order yet makes a first order within WindowDays of the
// (would-be) delivery with probability ControlRate (holdout) or TreatedRate =
// ControlRate·(1+RelativeLift) (mailed).
type DirectMail struct {
	Source       string  `json:"source"`
	Channel      string  `json:"channel"`
	Event        string  `json:"event"`
	ControlShare float64 `json:"control_share"`
	RelativeLift float64 `json:"relative_lift"`
	WindowDays   int     `json:"window_days"`
	BaseRate     float64 `json:"base_rate"`
	Waves        []Wave  `json:"waves"`
}

// Wave is one catalog drop. A customer's delivery is Nominal plus a per-customer
// offset below six hours (Truth.Delivery).
type Wave struct {
	Index       int       `json:"index"`
	CatalogID   string    `json:"catalog_id"`
	Nominal     time.Time `json:"nominal"`
	ControlRate float64   `json:"control_rate"`
	TreatedRate float64   `json:"treated_rate"`
}

// CustomerTruth is the ground truth about one simulated person.
type CustomerTruth struct {
	Index          int       `json:"index"`
	UserID         string    `json:"user_id"`
	Email          string    `json:"email"`
	Control        bool      `json:"control"`          // in the direct-mail holdout
	Lambda         float64   `json:"lambda"`           // BG/NBD purchase rate per week
	P              float64   `json:"p"`                // BG/NBD dropout probability
	Nu             float64   `json:"nu"`               // Gamma-Gamma rate
	MeanOrderValue float64   `json:"mean_order_value"` // P/ν in dollars
	Visitor        bool      `json:"visitor"`          // never signs up
	SignedUp       time.Time `json:"signed_up"`        // zero when not within the window
	FirstOrder     time.Time `json:"first_order"`      // zero when none
	Orders         int       `json:"orders"`           // Order Completed events
	Dropout        time.Time `json:"dropout"`          // zero when still alive at End
	Household      int       `json:"household"`        // partner sharing the email, or -1
}

// Truths returns the parameters planted by Generate for cfg (defaults filled
// as Generate fills them). An unusable cfg gives a Truth without waves whose
// Customer method returns zero values.
func Truths(cfg Config) Truth {
	t := Truth{
		Seed:            cfg.Seed,
		PurchaseEvent:   "Order Completed",
		RevenueProperty: "revenue",
		BGNBD:           BGNBD{R: bgR, Alpha: bgAlpha, A: bgA, B: bgB, TimeUnit: "week"},
		GammaGamma:      GammaGamma{P: ggP, Q: ggQ, Gamma: ggGamma},
		DirectMail: DirectMail{
			Source: sourceSpecs[srcDirectMail].Name, Channel: sourceSpecs[srcDirectMail].Channel,
			Event: "Catalog Delivered", ControlShare: controlShare, RelativeLift: mailLift,
			WindowDays: mailWindowDays, BaseRate: baseConversion,
		},
	}
	n, err := cfg.normalized()
	if err != nil {
		return t
	}
	t.w = newWorld(n)
	t.Customers, t.Start, t.End = n.Customers, n.Start(), n.End
	for k, at := range t.w.waves {
		t.DirectMail.Waves = append(t.DirectMail.Waves, Wave{
			Index:       k,
			CatalogID:   t.w.waveIDs[k],
			Nominal:     time.UnixMilli(t.w.ms(at)).UTC(),
			ControlRate: t.w.waveRate[k],
			TreatedRate: t.w.waveRate[k] * (1 + mailLift),
		})
	}
	return t
}

// MeanOrderValue is the population mean of an order's revenue, P·γ/(Q−1).
func (t Truth) MeanOrderValue() float64 {
	return t.GammaGamma.P * t.GammaGamma.Gamma / (t.GammaGamma.Q - 1)
}

// ExpectedRepeatPurchases is the BG/NBD expectation E[X(weeks)] of repeat
// purchases in the given number of weeks after a first purchase:
// (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))].
func (t Truth) ExpectedRepeatPurchases(weeks float64) float64 {
	return expectedRepeats(t.BGNBD.R, t.BGNBD.Alpha, t.BGNBD.A, t.BGNBD.B, weeks)
}

func expectedRepeats(r, alpha, a, b, weeks float64) float64 {
	if weeks <= 0 {
		return 0
	}
	z := weeks / (alpha + weeks)
	return (a + b - 1) / (a - 1) * (1 - math.Pow(alpha/(alpha+weeks), r)*hyp2f1(r, b, a+b-1, z))
}

// hyp2f1 sums the Gauss hypergeometric series for |z| < 1.
func hyp2f1(a, b, c, z float64) float64 {
	sum, term := 1.0, 1.0
	for n := 0.0; n < 1e6; n++ {
		term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z
		sum += term
		if math.Abs(term) < 1e-15*math.Abs(sum) {
			break
		}
	}
	return sum
}

// Delivery returns when customer i's catalog of wave k arrives (or would arrive,
// for the holdout).
func (t Truth) Delivery(i, k int) time.Time {
	if t.w == nil || k < 0 || k >= len(t.w.waves) {
		return time.Time{}
	}
	jitter := uint32(unit(hash3(t.w.seed, streamJitter, uint64(i), 0)) * maxJitter)
	return time.UnixMilli(t.w.ms(t.w.delivery(k, jitter))).UTC()
}

// Customer re-derives customer i's ground truth (it replays the customer's
// plan; cost is microseconds).
func (t Truth) Customer(i int) CustomerTruth {
	if t.w == nil || i < 0 || i >= t.Customers {
		return CustomerTruth{Index: i, Household: -1}
	}
	g := newRNG()
	var l latent
	t.w.drawLatent(g, i, &l)
	p := planner{w: t.w, g: g, l: &l, i: i}
	res := p.plan()
	ct := CustomerTruth{
		Index:          i,
		UserID:         UserID(i),
		Email:          string(appendEmail(nil, &l)),
		Control:        l.control,
		Lambda:         l.lambda,
		P:              l.p,
		Nu:             l.nu,
		MeanOrderValue: ggP / l.nu,
		Visitor:        l.visitor,
		Orders:         res.orders,
		Household:      int(l.household),
	}
	toTime := func(at uint32) time.Time {
		if at == never || at > t.w.span {
			return time.Time{}
		}
		return time.UnixMilli(t.w.ms(at)).UTC()
	}
	ct.SignedUp = toTime(l.signup)
	ct.FirstOrder = toTime(res.firstOrder)
	ct.Dropout = toTime(res.dropout)
	return ct
}

const userIDPrefix = "cust-"

// UserID is the userId of customer index i ("cust-0000042").
func UserID(i int) string { return string(appendUserID(nil, i)) }

func appendUserID(b []byte, i int) []byte {
	b = append(b, userIDPrefix...)
	return appendPadded(b, int64(i), 7)
}

// CustomerIndex parses a userId made by UserID.
func CustomerIndex(userID string) (int, bool) {
	digits, ok := strings.CutPrefix(userID, userIDPrefix)
	if !ok || len(digits) < 7 {
		return 0, false
	}
	i, err := strconv.Atoi(digits)
	if err != nil || i < 0 {
		return 0, false
	}
	return i, true
}
