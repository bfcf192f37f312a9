package demo

import "math"

// Sign-up methods.
const (
	methodWeb uint8 = iota
	methodGuide
	methodStore
	methodApp
	methodCall
)

var methodNames = [...]string{"web_form", "guide_download", "store_loyalty", "app", "call_center"}

// Channel personas: where a customer prefers to buy.
const (
	personaWeb uint8 = iota
	personaOmni
	personaStore
)

// Customer flags.
const (
	fHasApp uint16 = 1 << iota
	fLoyalty
	fConsentEmail
	fConsentSMS
	fConsentPush
	fCoach
	fTrailclub
	fVendor
	fSpanish
	fPlaceholderEmail // signs up with a placeholder email ("test@test.com" / "null")
)

// latent is everything drawn once per customer before any activity is
// planned: the hidden BG/NBD and Gamma-Gamma parameters, the holdout
// assignment, and the person's static attributes.
type latent struct {
	acq        uint32 // first touch with NTO (plan time)
	join       uint32 // Trail Club record shared (plan time) or never
	firstTouch uint32 // the earliest activity: min(acq, join)
	signup     uint32 // sign-up (plan time) or never
	lambda     float64
	p          float64
	nu         float64
	engage     float64 // logged-in browse sessions per week
	openProp   float64 // email open propensity
	jitter     uint32  // catalog delivery offset from the nominal wave time
	household  int32   // index of the household partner (previous customer), or -1
	emailOwner int32   // index whose email this customer uses (itself unless a household)
	team       uint16
	flags      uint16
	birth      uint16 // days since 1940-01-01
	house      uint16
	control    bool
	visitor    bool
	checkout   bool // signs up while checking out (the first order is in the same session)
	method     uint8
	persona    uint8
	nWeb       uint8
	webKinds   [3]uint8
	appKind    uint8
	city       uint8
	first      uint8
	emailFirst uint8
	last       uint8
	domain     uint8
	street     uint8
	suffix     uint8
	zip2       uint8
	fav        [2]uint8
}

func (l *latent) has(f uint16) bool { return l.flags&f != 0 }

// isControl is the direct-mail holdout assignment: a stable hash of the seed
// and the customer index.
func isControl(seed uint64, i int) bool {
	return unit(hash3(seed, streamControl, uint64(i), 0)) < controlShare
}

// householdOf returns the customer whose email customer i shares, or -1.
func householdOf(seed uint64, i int) int32 {
	if i == 0 || unit(hash3(seed, streamHousehold, uint64(i), 0)) >= 0.006 {
		return -1
	}
	return int32(i - 1)
}

// drawLatent draws customer i's latent attributes. The order of draws is part
// of the data set's definition: changing it changes every customer.
func (w *world) drawLatent(g *rng, i int, l *latent) {
	g.reset(w.seed, streamLatent, uint64(i), 0)
	*l = latent{}
	l.control = isControl(w.seed, i)
	l.household = householdOf(w.seed, i)
	l.jitter = uint32(unit(hash3(w.seed, streamJitter, uint64(i), 0)) * maxJitter)

	// The planted truths come first so that nothing else can shift them.
	l.lambda = g.gamma(bgR) / bgAlpha
	l.p = g.beta(bgA, bgB)
	l.nu = g.gamma(ggQ) / ggGamma

	l.city = uint8(g.pick(cityCum))
	l.first = uint8(g.IntN(len(firstNames)))
	l.last = uint8(g.IntN(len(lastNames)))
	l.domain = uint8(g.pick(emailDomainCum))
	l.emailOwner = int32(i)
	l.emailFirst = l.first
	if l.household >= 0 {
		// A household shares the first member's email, last name and address.
		owner := i
		for householdOf(w.seed, owner) >= 0 {
			owner--
		}
		var o latent
		w.drawHead(g, owner, &o)
		w.drawAddress(g, &o)
		l.last, l.city, l.domain = o.last, o.city, o.domain
		l.street, l.suffix, l.house, l.zip2 = o.street, o.suffix, o.house, o.zip2
		l.emailOwner, l.emailFirst = int32(owner), o.first
		g.reset(w.seed, streamLatent, uint64(i), 1)
	} else {
		w.drawAddress(g, l)
	}
	l.birth = uint16(365*10 + g.IntN(365*55)) // born 1950..2005
	l.fav[0] = uint8(g.IntN(len(categories)))
	l.fav[1] = uint8((int(l.fav[0]) + 1 + g.IntN(len(categories)-1)) % len(categories))
	if c := cities[l.city]; (c.state == "CO" || c.state == "UT" || c.state == "VT" || c.state == "ID") && g.chance(0.5) {
		l.fav[0] = 5 // skiing country
	}

	l.persona = uint8(g.pick(personaCum))
	l.nWeb = 1
	if g.chance(0.5) {
		l.nWeb++
	}
	if g.chance(0.25) {
		l.nWeb++
	}
	for d := range l.webKinds {
		l.webKinds[d] = uint8(g.IntN(len(webDevices)))
	}
	l.appKind = uint8(g.IntN(len(appDevices)))

	l.acq = w.drawAcquisition(g, int(cities[l.city].offset))
	l.visitor = g.chance(0.22)
	l.method = uint8(g.pick(methodCum))
	l.checkout = (l.method == methodWeb || l.method == methodStore) && g.chance(0.24)
	delay := uint32(4*minute + g.IntN(16*minute))
	if !g.chance(0.35) {
		delay = uint32(math.Min(g.ExpFloat64()*12*day, 3650*day))
	}
	if l.method == methodStore && delay < 2*hour {
		delay += uint32(1+g.IntN(5)) * day // a store visit is not the same session as the web visit
	}
	l.signup = never
	if !l.visitor && uint64(l.acq)+uint64(delay) < uint64(w.span) {
		l.signup = l.acq + delay
		if delay >= day {
			weights := &hourWeight
			if l.method == methodStore {
				weights = &storeHourWeight
			}
			l.signup = w.atLocalHour(g, l.signup, cities[l.city].offset, weights)
			if l.signup <= l.acq {
				l.signup = l.acq + delay
			}
		}
		if l.signup+hour > w.span {
			l.signup = never // a sign-up's events must all fall inside the window
		}
	}

	l.engage = g.gamma(2) * 0.02
	l.openProp = g.beta(1.5, 5)
	if g.chance(0.35) {
		l.flags |= fHasApp
	}
	if l.method == methodApp {
		l.flags |= fHasApp
	}
	if l.method == methodStore || g.chance(0.4) {
		l.flags |= fLoyalty
	}
	if l.method == methodGuide || g.chance(0.78) {
		l.flags |= fConsentEmail
	}
	if g.chance(0.3) {
		l.flags |= fConsentSMS
	}
	if g.chance(0.65) {
		l.flags |= fConsentPush
	}
	if g.chance(0.004) {
		l.flags |= fCoach
		l.team = uint16(g.IntN(w.teams))
	}
	l.join = never
	if g.chance(0.06) {
		l.flags |= fTrailclub
		l.join = uint32(g.Float64() * float64(w.span))
	}
	if g.chance(0.55) {
		l.flags |= fVendor
	}
	if g.chance(0.08) {
		l.flags |= fSpanish
	}
	if (l.method == methodStore || l.method == methodCall) && l.household < 0 && g.chance(0.05) {
		// The clerk typed a placeholder; NTO never learns a real address.
		l.flags |= fPlaceholderEmail
		l.flags &^= fConsentEmail | fVendor | fTrailclub
		l.join = never
	}
	l.firstTouch = min(l.acq, l.join)
}

// drawHead replays the first draws of customer j's latent stream: the
// planted parameters, city, names and email domain.
func (w *world) drawHead(g *rng, j int, l *latent) {
	g.reset(w.seed, streamLatent, uint64(j), 0)
	g.gamma(bgR)
	g.beta(bgA, bgB)
	g.gamma(ggQ)
	l.city = uint8(g.pick(cityCum))
	l.first = uint8(g.IntN(len(firstNames)))
	l.last = uint8(g.IntN(len(lastNames)))
	l.domain = uint8(g.pick(emailDomainCum))
}

// drawAddress draws a street address (continuing the latent stream).
func (w *world) drawAddress(g *rng, l *latent) {
	l.street = uint8(g.IntN(len(streetNames)))
	l.suffix = uint8(g.IntN(len(streetSuffixes)))
	l.house = uint16(10 + g.IntN(9900))
	l.zip2 = uint8(g.IntN(100))
}

var (
	personaCum = cumulative([]float64{45, 30, 25})
	methodCum  = cumulative([]float64{55, 12, 20, 8, 5})
)

// drawAcquisition draws a first-touch time weighted by seasonality, growth and
// local hour.
func (w *world) drawAcquisition(g *rng, offset int) uint32 {
	lo, hi := uint32(hour), w.span-hour
	var t uint32
	for range 64 {
		t = lo + uint32(g.Float64()*float64(hi-lo))
		if g.Float64()*w.seasonMax < w.season(t) && g.Float64() < hourWeight[w.localHour(t, offset)] {
			return t
		}
	}
	return t
}
