package demo

import (
	"math"
	"slices"
)

// activity is one planned touch of a customer: a session, an order, an email
// open, a catalog delivery … Its events are generated from it on demand, so a
// customer's whole history costs 8 bytes per activity until it is written.
type activity struct {
	at    uint32 // anchor time (plan time); events lie at or after the activity's key
	kind  uint8
	flags uint8
	n     uint16 // order number, campaign, wave or team, by kind
}

// Activity kinds.
const (
	kAnon         uint8 = iota // anonymous web session (before sign-up, or a visitor)
	kSignup                    // sign-up: identify + Signed Up
	kBrowse                    // logged-in session on the web or in the app
	kPurchase                  // an order (n = order number)
	kRefund                    // return of part of order n
	kReview                    // review of a product of order n
	kCall                      // call to the service center (n = order or noOrder)
	kEmail                     // email open of campaign n (flags: click, unsubscribe)
	kCatalog                   // catalog delivery of wave n (flags: cfHeldOut)
	kAppInstall                // app installed and first opened
	kGroup                     // team account membership (n = team)
	kReferral                  // referral sent
	kVendor                    // third-party demographic append
	kPartnerJoin               // partner shares the member record
	kPartnerEvent              // partner club event attended
)

// Session entry channels (flags bits 0..2 of sessions and orders).
const (
	entryDirect uint8 = iota
	entryOrganic
	entryAd
	entrySocial
	entryEmail
	entryPush
	entryPrint
)

// Order channels (flags bits 3..4 of orders and refunds).
const (
	chWeb uint8 = iota
	chApp
	chStore
	chPhone
)

// cfHeldOut marks a catalog activity of the holdout: the vendor reports the
// piece it withheld (Catalog Held Out) at the would-be delivery time.
const cfHeldOut uint8 = 1

// Order flag bits.
const (
	ofCoupon         uint8 = 1 << 5
	ofTeam           uint8 = 1 << 6
	ofReturnStore    uint8 = 1 << 7 // refunds: returned in a store
	sfResearch       uint8 = 1 << 7 // browse: researching order n before buying it in store
	efClick          uint8 = 1 << 0 // email: the link was clicked
	efUnsubscribe    uint8 = 1 << 1 // email: the customer unsubscribed
	noOrder                = math.MaxUint16
	purchaseLookback       = 40 * minute // an order's funnel starts at most this long before it
	otherLookback          = minute      // other activities start at (or a few seconds before) their anchor
	maxPlanSession         = 600         // cap on browse sessions per customer
)

func orderFlags(entry, channel uint8) uint8 { return entry&7 | (channel&3)<<3 }

// orderRef packs an order number (< 1024) and the order's month into n.
func orderRef(k, month int) uint16 { return uint16(k&0x3ff | month<<10) }
func orderNum(n uint16) int        { return int(n & 0x3ff) }
func orderMonth(n uint16) int      { return int(n>>10) % 12 }
func entryOf(flags uint8) uint8    { return flags & 7 }
func channelOf(flags uint8) uint8  { return (flags >> 3) & 3 }

var (
	acqEntryCum     = cumulative([]float64{15, 28, 42, 15})    // direct, organic, ad, social
	anonEntryCum    = cumulative([]float64{30, 30, 30, 10})    // direct, organic, ad, social
	browseEntryCum  = cumulative([]float64{45, 22, 13, 8, 12}) // direct, organic, ad, social, push
	orderEntryCum   = cumulative([]float64{35, 15, 15, 5, 20, 10})
	channelCum      = [3][]float64{cumulative([]float64{70, 15, 12, 3}), cumulative([]float64{42, 13, 42, 3}), cumulative([]float64{17, 3, 78, 2})}
	orderChannelCum = channelCum
)

// planner builds one customer's plan.
type planner struct {
	w     *world
	g     *rng
	l     *latent
	i     int
	acts  []activity
	times []uint32 // purchase times, reused
}

func (p *planner) add(at uint32, kind, flags uint8, n uint16) {
	if at <= p.w.span {
		p.acts = append(p.acts, activity{at: at, kind: kind, flags: flags, n: n})
	}
}

// planResult is what the plan decided about the customer's purchase history
// (kept for Truth).
type planResult struct {
	firstOrder uint32 // never if none
	orders     int
	dropout    uint32 // never if the customer is still alive at the end
	install    uint32 // app install time or never
}

// plan lays out every activity of customer i in time order.
func (p *planner) plan() planResult {
	w, g, l := p.w, p.g, p.l
	g.reset(w.seed, streamPlan, uint64(p.i), 0)
	p.acts = p.acts[:0]
	res := planResult{firstOrder: never, dropout: never, install: never}
	off := cities[l.city].offset

	p.add(l.acq, kAnon, uint8(g.pick(acqEntryCum)), 0)
	if l.has(fTrailclub) {
		join := l.join
		p.add(join, kPartnerJoin, 0, 0)
		for range g.poisson(2) {
			p.add(w.atLocalHour(g, join+day+uint32(g.Float64()*365*day), off, &hourWeight), kPartnerEvent, 0, 0)
		}
	}
	horizon := l.signup
	if horizon == never {
		horizon = w.span
		if l.visitor {
			horizon = min(w.span, l.acq+120*day)
		}
	}
	if horizon > l.acq+hour {
		mean := math.Min(1.3, float64(horizon-l.acq)/(5*day))
		for range g.poisson(mean) {
			p.add(w.shapeHour(g, l.acq+hour, horizon, off, &hourWeight), kAnon, uint8(g.pick(anonEntryCum)), 0)
		}
	}
	if l.signup == never {
		p.sort()
		return res
	}
	p.add(l.signup, kSignup, l.method, 0)
	if l.has(fHasApp) {
		res.install = l.signup + uint32(hour+g.ExpFloat64()*20*day)
		if l.method == methodApp {
			res.install = l.signup - 2*minute
		}
		if res.install <= w.span {
			p.add(res.install, kAppInstall, 0, 0)
		}
	}

	res.firstOrder = p.firstPurchase()
	if res.firstOrder > w.span {
		res.firstOrder = never
	}
	p.repeatPurchases(&res)
	p.browse(res)
	p.emails(res)
	p.misc()
	p.sort()
	return res
}

// sort orders the plan by key: the earliest time any of an activity's events
// can have. Keys are what the generator merges customers on.
func (p *planner) sort() {
	floor := firstKey(p.l)
	slices.SortStableFunc(p.acts, func(a, b activity) int {
		ka, kb := a.key(floor), b.key(floor)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
}

// key is the earliest time an event of a can have: its anchor minus the
// kind's lookback, but never before the customer's first touch (minus a
// minute), which no event of the customer precedes.
func (a activity) key(floor uint32) uint32 {
	lb := uint32(otherLookback)
	if a.kind == kPurchase {
		lb = purchaseLookback
	}
	if a.at < floor+lb {
		return floor
	}
	return a.at - lb
}

// firstKey is the key of a customer's first activity (its first touch).
func firstKey(l *latent) uint32 {
	if l.firstTouch < otherLookback {
		return 0
	}
	return l.firstTouch - otherLookback
}

// firstPurchase plans the catalog waves and decides the first order: in the
// sign-up session (checkout sign-ups), in the welcome period before the first
// wave, or within 30 days of a wave with the wave's conversion probability —
// raised by the planted lift unless the customer is in the holdout.
func (p *planner) firstPurchase() uint32 {
	w, g, l := p.w, p.g, p.l
	first := uint32(never)
	if l.checkout {
		delay := uint32(2*minute + g.IntN(8*minute))
		if l.method == methodStore {
			delay = uint32(minute + g.IntN(3*minute))
		}
		first = l.signup + delay
	}
	k0 := 0
	for k0 < len(w.waves) && w.delivery(k0, l.jitter) <= l.signup {
		k0++
	}
	next := w.span
	if k0 < len(w.waves) {
		next = w.delivery(k0, l.jitter)
	}
	welcome := baseConversion * waveSeason[w.month(l.signup)] * float64(next-l.signup) / (mailWindowDays * day)
	if u := g.Float64(); first == never && u < welcome && next > l.signup+hour {
		first = l.signup + hour + uint32(g.Float64()*float64(next-l.signup-hour))
	}
	for k := k0; k < len(w.waves); k++ {
		d := w.delivery(k, l.jitter)
		if d > w.span {
			break
		}
		if l.control {
			p.add(d, kCatalog, cfHeldOut, uint16(k)) // the vendor's holdout record
		} else {
			p.add(d, kCatalog, 0, uint16(k))
		}
		if first != never {
			continue
		}
		q := w.waveRate[k]
		if !l.control {
			q *= 1 + mailLift
		}
		u, at := g.Float64(), g.Float64()
		if u < q {
			first = d + 1 + uint32(at*(mailWindowDays*day-2))
		}
	}
	return first
}

// repeatPurchases draws the BG/NBD process after the first order: exponential
// gaps with rate λ per week; after each repeat purchase the customer drops out
// with probability p. Each order gets its channel, entry and follow-ups.
func (p *planner) repeatPurchases(res *planResult) {
	w, g, l := p.w, p.g, p.l
	if res.firstOrder > w.span {
		return
	}
	p.times = append(p.times[:0], res.firstOrder)
	t := float64(res.firstOrder)
	for len(p.times) < maxOrders {
		t += g.ExpFloat64() / l.lambda * week
		if t > float64(w.span) {
			break
		}
		p.times = append(p.times, uint32(t))
		if g.Float64() < l.p {
			res.dropout = uint32(t)
			break
		}
	}
	res.orders = len(p.times)
	for k, at := range p.times {
		p.order(k, at, res)
	}
}

func (p *planner) order(k int, at uint32, res *planResult) {
	g, l := p.g, p.l
	ch := uint8(g.pick(orderChannelCum[l.persona]))
	if ch == chApp && (res.install == never || at <= res.install) {
		ch = chWeb
	}
	if k == 0 && l.checkout {
		ch = chWeb
		if l.method == methodStore {
			ch = chStore
		}
	}
	entry := uint8(g.pick(orderEntryCum))
	switch {
	case entry == entryEmail && !l.has(fConsentEmail),
		entry == entryPush && (ch != chApp || !l.has(fConsentPush)):
		entry = entryDirect
	}
	if k == 0 && !l.control && g.chance(0.3) {
		entry = entryPrint // catalog QR code / vanity URL
	}
	if k == 0 && l.checkout {
		entry = entryDirect
	}
	flags := orderFlags(entry, ch)
	if g.chance(0.18) {
		flags |= ofCoupon
	}
	if l.has(fCoach) && g.chance(0.4) {
		flags |= ofTeam
	}
	n := orderRef(k, p.w.month(at))
	p.add(at, kPurchase, flags, n)
	if ch == chStore && g.chance(0.35) {
		if rt := int64(at) - int64(day+g.IntN(3*day)); rt > int64(l.signup)+hour {
			p.add(uint32(rt), kBrowse, flags|sfResearch, n) // carries the order's flags for its basket
		}
	}
	if g.chance(0.09) {
		rf := flags &^ ofReturnStore
		if ch == chStore || g.chance(0.4) {
			rf |= ofReturnStore
		}
		rt := at + uint32(3*day+g.IntN(27*day))
		if rf&ofReturnStore != 0 {
			rt = p.w.atLocalHour(g, rt, cities[l.city].offset, &storeHourWeight)
		}
		p.add(rt, kRefund, rf, n)
	}
	if g.chance(0.12) {
		p.add(at+uint32(5*day+g.IntN(20*day)), kReview, flags, n)
	}
	if g.chance(0.08) {
		p.add(at+uint32(day+g.IntN(13*day)), kCall, uint8(g.IntN(4))|ch<<4, n)
	}
	if k >= 1 && g.chance(0.1) {
		p.add(at+uint32(day+g.IntN(9*day)), kReferral, 0, n)
	}
}

// browse plans logged-in sessions as a thinned Poisson process: engagement ×
// lifecycle phase × season × local hour.
func (p *planner) browse(res planResult) {
	w, g, l := p.w, p.g, p.l
	if l.engage <= 0 {
		return
	}
	off := cities[l.city].offset
	maxRate := l.engage * 1.5 * w.seasonMax / week // per second
	t := float64(l.signup)
	for n := 0; n < maxPlanSession; {
		t += g.ExpFloat64() / maxRate
		if t > float64(w.span) {
			return
		}
		at := uint32(t)
		phase := 1.0
		switch {
		case at >= res.dropout:
			phase = 1.5*math.Exp(-float64(at-res.dropout)/(6*week)) + 0.05
		case at >= res.firstOrder:
			phase = 1.5
		}
		rate := l.engage * phase * w.season(at) / week
		if g.Float64()*maxRate >= rate*hourWeight[w.localHour(at, off)] {
			continue
		}
		entry := uint8(g.pick(browseEntryCum))
		if entry == 4 {
			entry = entryPush
		}
		p.add(at, kBrowse, entry, 0)
		n++
	}
}

// emails plans the opens (and clicks, unsubscribes) of the weekly campaigns.
func (p *planner) emails(res planResult) {
	w, g, l := p.w, p.g, p.l
	if !l.has(fConsentEmail) {
		return
	}
	for c, send := range w.campaigns {
		if send <= l.signup {
			continue
		}
		factor := 1.0
		switch {
		case send >= res.dropout:
			factor = 0.3
		case send < res.firstOrder:
			factor = 0.8
		}
		if !g.chance(l.openProp * factor) {
			continue
		}
		at := send + uint32(math.Min(g.ExpFloat64()*5*hour, 72*hour))
		var flags uint8
		if g.chance(0.14) {
			flags |= efClick
		}
		if g.chance(0.004) {
			flags |= efUnsubscribe
		}
		p.add(at, kEmail, flags, uint16(c))
		if flags&efUnsubscribe != 0 {
			return
		}
	}
}

// misc plans calls, the team account, and the vendor append.
func (p *planner) misc() {
	w, g, l := p.w, p.g, p.l
	off := cities[l.city].offset
	weeks := float64(w.span-l.signup) / week
	for range g.poisson(weeks * 0.006) {
		at := w.shapeHour(g, l.signup, w.span, off, &storeHourWeight)
		p.add(at, kCall, uint8(g.pick(callReasonCum)), noOrder)
	}
	if l.has(fCoach) {
		p.add(l.signup+uint32(hour+g.IntN(60*day)), kGroup, 0, l.team)
	}
	if l.has(fVendor) {
		for _, b := range w.vendor {
			if b >= l.signup+7*day {
				p.add(b+uint32(g.IntN(2*hour)), kVendor, 0, 0)
				break
			}
		}
	}
}
