package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// wireEvent is the part of a Segment event the tests check.
type wireEvent struct {
	Type        string          `json:"type"`
	MessageID   string          `json:"messageId"`
	Timestamp   string          `json:"timestamp"`
	UserID      *string         `json:"userId"`
	AnonymousID *string         `json:"anonymousId"`
	PreviousID  string          `json:"previousId"`
	GroupID     string          `json:"groupId"`
	Event       string          `json:"event"`
	Name        string          `json:"name"`
	Properties  json.RawMessage `json:"properties"`
	Traits      json.RawMessage `json:"traits"`
	Context     json.RawMessage `json:"context"`
}

type line struct {
	source string
	ev     wireEvent
	ts     time.Time
	raw    json.RawMessage
}

// parseAll decodes every line of a data set.
func parseAll(t testing.TB, data []byte) []line {
	t.Helper()
	var out []line
	err := Read(bytes.NewReader(data), func(source string, raw json.RawMessage) error {
		var ev wireEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return err
		}
		ts, err := time.Parse(time.RFC3339Nano, ev.Timestamp)
		if err != nil {
			return err
		}
		out = append(out, line{source: source, ev: ev, ts: ts, raw: raw})
		return nil
	})
	require.NoError(t, err)
	return out
}

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	cfg := Config{Customers: 150, Seed: 9, End: testEnd, Days: 150}
	a, sa := generate(t, cfg)
	b, sb := generate(t, cfg)
	require.Equal(t, sha256.Sum256(a), sha256.Sum256(b), "same config, different bytes")
	require.Equal(t, sa, sb)
	cfg.Seed = 10
	c, _ := generate(t, cfg)
	require.NotEqual(t, sha256.Sum256(a), sha256.Sum256(c), "different seeds, same bytes")
	require.Greater(t, sa.Events, int64(10*cfg.Customers))
}

func TestGenerateSmallConfigs(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{
		{Customers: 1, Seed: 1, End: testEnd},
		{Customers: 5, Seed: 2, End: testEnd.Add(123456789 * time.Millisecond), Days: minDays},
	} {
		data, st := generate(t, cfg)
		lines := parseAll(t, data)
		require.Len(t, lines, int(st.Events))
		for _, l := range lines {
			require.False(t, l.ts.Before(cfg.Start()) || l.ts.After(cfg.End), "event at %s outside the window", l.ts)
		}
	}
}

func TestGenerateRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]Config{
		"no end":        {Customers: 10},
		"negative":      {Customers: -1, End: testEnd},
		"too few days":  {Customers: 10, End: testEnd, Days: 5},
		"too many days": {Customers: 10, End: testEnd, Days: maxDays + 1},
		"ancient end":   {Customers: 10, End: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Generate(t.Context(), cfg, &bytes.Buffer{})
			require.ErrorIs(t, err, ErrInvalidConfig)
		})
	}
}

func TestGenerateHonoursCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Generate(ctx, Config{Customers: 100, End: testEnd}, &bytes.Buffer{})
	require.ErrorIs(t, err, context.Canceled)
}

// TestNoEventPrecedesItsActivity guards the streaming order: the output is
// sorted only if no event is earlier than maxBefore before its anchor.
func TestNoEventPrecedesItsActivity(t *testing.T) {
	t.Parallel()
	_, st := sampleData(t)
	require.Zero(t, sample.clamped)
	require.Positive(t, st.Events)
}

var (
	e164     = regexp.MustCompile(`^\+1[2-9]\d{9}$`)
	uuidLike = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

// TestGenerateEventsAreValid checks every event against the Segment rules the
// collection API enforces, and the data set's own invariants.
func TestGenerateEventsAreValid(t *testing.T) {
	t.Parallel()
	data, st := sampleData(t)
	lines := sampleLines(t)
	require.Len(t, lines, int(st.Events))
	var total int64
	for _, n := range st.ByEvent {
		total += n
	}
	require.Equal(t, st.Events, total)
	require.Equal(t, int64(len(data)), st.Bytes)

	sources := map[string]bool{}
	for _, s := range Sources() {
		sources[s.Name] = true
	}
	trackNames := map[string]bool{}
	for _, k := range kinds {
		if k.typ == "track" {
			trackNames[k.name] = true
		}
	}
	ids := make(map[string]bool, len(lines))
	counted := map[string]int64{}
	start := sampleConfig.Start()
	for i, l := range lines {
		ev := l.ev
		n := i + 1
		check := func(ok bool, format string, args ...any) {
			if !ok {
				t.Fatalf("line %d: "+format+"\n%s", append(append([]any{n}, args...), l.raw)...)
			}
		}
		check(sources[l.source], "unknown source %q", l.source)
		check(len(l.raw) <= 32<<10, "event over 32 KiB")
		check(uuidLike.MatchString(ev.MessageID), "messageId %q", ev.MessageID)
		check(!ids[ev.MessageID], "duplicate messageId")
		ids[ev.MessageID] = true
		check(!l.ts.Before(start) && !l.ts.After(sampleConfig.End), "%s outside the window", l.ts)
		check(i == 0 || !l.ts.Before(lines[i-1].ts), "out of time order")
		check(ev.Type == "alias" || nonEmpty(ev.UserID) || nonEmpty(ev.AnonymousID), "%s without userId or anonymousId", ev.Type)
		if ev.UserID != nil {
			_, ok := CustomerIndex(*ev.UserID)
			check(ok, "userId %q", *ev.UserID)
		}
		key := ev.Type
		switch ev.Type {
		case "track":
			check(trackNames[ev.Event], "unexpected event %q", ev.Event)
			check(len(ev.Properties) > 2, "no properties")
			key = ev.Event
		case "identify":
			check(len(ev.Traits) > 2, "no traits")
			checkTraits(t, n, ev.Traits)
		case "page", "screen":
			check(ev.Name != "", "no name")
		case "group":
			check(ev.GroupID != "", "no groupId")
		case "alias":
			check(nonEmpty(ev.UserID) && ev.PreviousID != "", "alias needs userId and previousId")
		default:
			check(false, "unknown type %q", ev.Type)
		}
		counted[key]++
		if ev.Event == "Order Completed" {
			checkOrder(t, n, ev.Properties)
		}
	}
	require.Equal(t, st.ByEvent, counted)
}

func nonEmpty(s *string) bool { return s != nil && *s != "" }

// checkTraits checks phone format and that a time zone matches its address.
func checkTraits(t *testing.T, n int, raw json.RawMessage) {
	var tr struct {
		Phone    string `json:"phone"`
		Timezone string `json:"timezone"`
		Address  *struct {
			City  string `json:"city"`
			State string `json:"state"`
		} `json:"address"`
	}
	require.NoError(t, json.Unmarshal(raw, &tr))
	if tr.Phone != "" {
		require.Regexp(t, e164, tr.Phone, "line %d", n)
	}
	if tr.Address != nil {
		found := false
		for _, c := range cities {
			if c.name == tr.Address.City && c.state == tr.Address.State {
				require.Equal(t, c.tz, tr.Timezone, "line %d: time zone of %s, %s", n, c.name, c.state)
				found = true
			}
		}
		require.True(t, found, "line %d: unknown city %+v", n, tr.Address)
	}
}

type orderProps struct {
	OrderID  string  `json:"order_id"`
	Subtotal float64 `json:"subtotal"`
	Total    float64 `json:"total"`
	Revenue  float64 `json:"revenue"`
	Shipping float64 `json:"shipping"`
	Tax      float64 `json:"tax"`
	Discount float64 `json:"discount"`
	Currency string  `json:"currency"`
	Products []struct {
		ProductID string  `json:"product_id"`
		SKU       string  `json:"sku"`
		Name      string  `json:"name"`
		Category  string  `json:"category"`
		Brand     string  `json:"brand"`
		Price     float64 `json:"price"`
		Quantity  int     `json:"quantity"`
	} `json:"products"`
}

// checkOrder checks the arithmetic of an Order Completed.
func checkOrder(t *testing.T, n int, raw json.RawMessage) {
	var o orderProps
	require.NoError(t, json.Unmarshal(raw, &o))
	require.NotEmpty(t, o.OrderID, "line %d", n)
	require.Equal(t, "USD", o.Currency, "line %d", n)
	require.NotEmpty(t, o.Products, "line %d", n)
	sum := 0.0
	for _, p := range o.Products {
		require.True(t, p.ProductID != "" && p.SKU != "" && p.Name != "" && p.Category != "" && p.Brand != "", "line %d: %+v", n, p)
		require.Positive(t, p.Quantity, "line %d", n)
		sum += p.Price * float64(p.Quantity)
	}
	cents := func(v float64) int64 { return int64(math.Round(v * 100)) }
	require.Equal(t, cents(sum), cents(o.Subtotal), "line %d: subtotal", n)
	require.GreaterOrEqual(t, o.Discount, 0.0, "line %d", n)
	require.Equal(t, cents(o.Subtotal)-cents(o.Discount), cents(o.Revenue), "line %d: revenue", n)
	require.Equal(t, cents(o.Revenue)+cents(o.Tax)+cents(o.Shipping), cents(o.Total), "line %d: total", n)
}

// TestGenerateMatchesTruth checks that the stream holds exactly the planted
// history: each customer's Order Completed count, first order and sign-up
// equal Truth.Customer, and catalogs go to mailed customers only.
func TestGenerateMatchesTruth(t *testing.T) {
	t.Parallel()
	truth := Truths(sampleConfig)
	type seen struct {
		orders   []time.Time
		signedUp time.Time
		catalogs []time.Time
		heldOut  []time.Time
	}
	people := make([]seen, sampleConfig.Customers)
	anons := map[string]map[string]bool{} // userId -> anonymousIds linked by identify
	emails := map[string]map[string]bool{}
	messy := 0
	unsubscribed := map[string]bool{}
	for _, l := range sampleLines(t) {
		ev := l.ev
		if ev.AnonymousID != nil && *ev.AnonymousID == "undefined" {
			messy++
		}
		if ev.UserID == nil {
			continue
		}
		i, ok := CustomerIndex(*ev.UserID)
		require.True(t, ok)
		p := &people[i]
		switch {
		case ev.Event == "Order Completed":
			p.orders = append(p.orders, l.ts)
		case ev.Event == "Signed Up":
			require.True(t, p.signedUp.IsZero(), "%s signed up twice", *ev.UserID)
			p.signedUp = l.ts
		case ev.Event == "Catalog Delivered":
			require.Equal(t, "nto-directmail", l.source)
			p.catalogs = append(p.catalogs, l.ts)
		case ev.Event == "Catalog Held Out":
			require.Equal(t, "nto-directmail", l.source)
			p.heldOut = append(p.heldOut, l.ts)
		case ev.Event == "Unsubscribed":
			unsubscribed[*ev.UserID] = true
		case ev.Type == "identify":
			var consent struct {
				Consent *struct {
					Email bool `json:"email"`
				} `json:"consent"`
			}
			require.NoError(t, json.Unmarshal(ev.Traits, &consent))
			require.False(t, unsubscribed[*ev.UserID] && consent.Consent != nil && consent.Consent.Email, "%s: email consent after unsubscribing", *ev.UserID)
			if ev.AnonymousID != nil && l.source == "nto-web" {
				if anons[*ev.UserID] == nil {
					anons[*ev.UserID] = map[string]bool{}
				}
				anons[*ev.UserID][*ev.AnonymousID] = true
			}
			var tr struct {
				Email string `json:"email"`
			}
			require.NoError(t, json.Unmarshal(ev.Traits, &tr))
			if tr.Email != "" && l.source != "nto-email" {
				if tr.Email == "null" || tr.Email == "test@test.com" {
					messy++
				}
				if emails[tr.Email] == nil {
					emails[tr.Email] = map[string]bool{}
				}
				emails[tr.Email][*ev.UserID] = true
			}
		}
	}
	var purchasers, controls, mailed int
	for i := range people {
		ct := truth.Customer(i)
		p := &people[i]
		require.Len(t, p.orders, ct.Orders, "customer %d: orders", i)
		if ct.Orders > 0 {
			purchasers++
			require.Equal(t, ct.FirstOrder, p.orders[0].Truncate(time.Second), "customer %d: first order", i)
		}
		if !ct.SignedUp.IsZero() && !p.signedUp.IsZero() {
			require.WithinDuration(t, ct.SignedUp, p.signedUp, 15*time.Minute, "customer %d: sign-up", i)
		}
		require.Equal(t, ct.SignedUp.IsZero(), p.signedUp.IsZero(), "customer %d: signed up", i)
		got, none := p.catalogs, p.heldOut
		if ct.Control {
			controls++
			got, none = p.heldOut, p.catalogs
		}
		require.Empty(t, none, "customer %d (holdout %v): mail records of the other arm", i, ct.Control)
		want := 0
		for k := range truth.DirectMail.Waves {
			if d := truth.Delivery(i, k); !ct.SignedUp.IsZero() && d.After(ct.SignedUp) && !d.After(truth.End) {
				want++
				require.Contains(t, got, d, "customer %d: wave %d", i, k)
			}
		}
		require.Len(t, got, want, "customer %d: catalogs (holdout %v)", i, ct.Control)
		if ct.Control {
			continue
		}
		if want > 0 {
			mailed++
		}
	}
	require.Greater(t, purchasers, sampleConfig.Customers/3)
	require.Greater(t, controls, sampleConfig.Customers/12)
	require.Greater(t, mailed, sampleConfig.Customers/2)

	multi := 0
	for _, a := range anons {
		if len(a) > 1 {
			multi++
		}
	}
	require.Greater(t, multi, sampleConfig.Customers/50, "people linked to several browsers")
	shared := 0
	for _, u := range emails {
		if len(u) > 1 {
			shared++
		}
	}
	require.Positive(t, shared, "households sharing an email")
	require.Positive(t, messy, "blocked identifier values")
}

// TestGeneratePlantsBGNBDInStream compares the repeat purchases in the stream
// with the BG/NBD expectation for each purchaser's observation time.
func TestGeneratePlantsBGNBDInStream(t *testing.T) {
	t.Parallel()
	truth := Truths(sampleConfig)
	orders := map[string][]time.Time{}
	var revenues []float64
	for _, l := range sampleLines(t) {
		if l.ev.Event != "Order Completed" {
			continue
		}
		orders[*l.ev.UserID] = append(orders[*l.ev.UserID], l.ts)
		var o orderProps
		require.NoError(t, json.Unmarshal(l.ev.Properties, &o))
		revenues = append(revenues, o.Revenue)
	}
	var x, e, v float64
	for _, ts := range orders {
		weeks := truth.End.Sub(ts[0]).Hours() / (24 * 7)
		exp := truth.ExpectedRepeatPurchases(weeks)
		x += float64(len(ts) - 1)
		e += exp
		v += (float64(len(ts)-1) - exp) * (float64(len(ts)-1) - exp)
	}
	require.InDelta(t, e, x, 4*math.Sqrt(v), "repeat purchases: observed %.0f, BG/NBD expects %.1f", x, e)

	mean, sd := meanSD(revenues)
	want := truth.MeanOrderValue()
	require.InDelta(t, want, mean, 4*sd/math.Sqrt(float64(len(revenues)))+0.05*want, "mean order value")
}

func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)-1))
}

func TestStatsCountSources(t *testing.T) {
	t.Parallel()
	_, st := sampleData(t)
	names := make([]string, 0, len(st.BySource))
	for n := range st.BySource {
		names = append(names, n)
	}
	slices.Sort(names)
	var want []string
	for _, s := range Sources() {
		want = append(want, s.Name)
	}
	slices.Sort(want)
	require.Equal(t, want, names, "every source is used")
}
