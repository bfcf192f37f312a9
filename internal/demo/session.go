package demo

import "slices"

// session is a visit on the web site or in the app: a clock that advances by
// think times (kept below limit when limit > 0), the current and previous
// page, and the cart.
type session struct {
	src     sourceID // srcWeb or srcApp
	user    bool
	dev     int
	clock   int64
	limit   int64
	cur     page
	prev    page
	hasCur  bool
	hasPrev bool
	cart    uint64
	cat     int
}

func (g *generator) newSession(s *session, src sourceID, user bool, dev int, start, limit int64) {
	*s = session{src: src, user: user, dev: dev, clock: start, limit: limit}
	s.cart = hash3(g.w.seed, streamCart, uint64(g.ci), uint64(start))
	s.cat = pickCategory(g.g, g.monthAt(start), g.c.l.fav)
}

func (g *generator) monthAt(ms int64) int {
	d := int((ms - g.w.startMs) / 1000 / day)
	return int(g.w.dayMonth[max(0, min(d, len(g.w.dayMonth)-1))])
}

// next advances the session clock by a think time and returns it.
func (g *generator) next(s *session) int64 {
	gap := int64(4000 + g.g.ExpFloat64()*30000)
	gap = min(gap, 240000)
	if s.limit > 0 {
		gap = min(gap, (s.limit-s.clock)/3)
	}
	s.clock += max(gap, 1)
	return s.clock
}

func (s *session) prevPtr() *page {
	if s.hasPrev {
		return &s.prev
	}
	return nil
}

func (s *session) curPtr() *page {
	if s.hasCur {
		return &s.cur
	}
	return nil
}

// view emits a page view (web) or a screen (app) and makes it current.
func (g *generator) view(s *session, pg page) {
	if s.hasCur {
		s.prev, s.hasPrev = s.cur, true
		s.prev.utm = nil // UTM tags belong to the landing URL only
	}
	s.cur, s.hasCur = pg, true
	ts := g.next(s)
	if s.src == srcApp {
		j := g.call(srcApp, evScreen, ts, s.user, s.dev)
		j.kStr("name", pageMeta[pg.kind].screen)
		j.keyObj("properties")
		switch pg.kind {
		case pgProduct:
			j.kStr("product_id", catalog[pg.arg].id)
		case pgCategory:
			j.kStr("category", categories[pg.arg].name)
		case pgSearch:
			j.kStr("query", pg.term)
		}
		j.endObj()
		g.appCtx(ts, false)
		g.finish()
		return
	}
	j := g.call(srcWeb, evPage, ts, s.user, s.dev)
	j.kStr("name", pageMeta[pg.kind].name)
	j.keyObj("properties")
	g.pageFields(&s.cur, s.prevPtr())
	j.endObj()
	g.webCtx(s.dev, &s.cur, s.prevPtr())
	g.finish()
}

// track starts a track event in the session at the next tick; the caller
// writes properties and then calls g.end(s).
func (g *generator) track(s *session, kind evKind) *jsonWriter {
	return g.trackAt(s, kind, g.next(s))
}

func (g *generator) trackAt(s *session, kind evKind, ts int64) *jsonWriter {
	j := g.call(s.src, kind, ts, s.user, s.dev)
	j.keyObj("properties")
	return j
}

// end closes the properties of a session event, writes its context and queues it.
func (g *generator) end(s *session) {
	j := &g.j
	j.endObj()
	if s.src == srcApp {
		g.appCtx(g.evTs, false)
	} else {
		g.webCtx(s.dev, s.curPtr(), s.prevPtr())
	}
	g.finish()
}

// product writes a product's fields; qty and position are omitted when 0.
func (g *generator) product(p, qty, position int, withURL bool) {
	j := &g.j
	pr := &catalog[p]
	j.kStr("product_id", pr.id)
	j.kStr("sku", pr.sku)
	j.kStr("name", pr.name)
	j.kStr("category", categories[pr.category].name)
	j.kStr("brand", pr.brand)
	j.kMoney("price", pr.price)
	if qty > 0 {
		j.kInt("quantity", int64(qty))
	}
	if position > 0 {
		j.kInt("position", int64(position))
	}
	if withURL {
		j.key("url")
		j.rawStrStart()
		j.b = append(j.b, siteURL...)
		j.b = append(j.b, "/p/"...)
		j.b = append(j.b, pr.slug...)
		j.rawStrEnd()
	}
}

func (g *generator) cartID(s *session) {
	j := &g.j
	j.key("cart_id")
	j.rawStrStart()
	j.b = appendHex(j.b, s.cart, 16)
	j.rawStrEnd()
}

// landing emits the touches that bring the visitor in (ad click, push tap)
// and the landing view. e is the entry channel; the landing page is lp.
func (g *generator) landing(s *session, e uint8, lp page) {
	r := g.g
	mi := g.w.monthOf(uint32((s.clock - g.w.startMs) / 1000))
	u := &g.utmBuf
	switch e {
	case entryAd:
		net := &adNetworks[r.pick(adNetworkCum)]
		*u = utm{source: net.source, medium: net.medium, name: mi.slug, content: adContents[r.IntN(len(adContents))]}
		if net.search {
			u.term = searchTerms[s.cat][r.IntN(4)]
		}
		g.adClicked(s, net, u)
		lp.utm = u
	case entryOrganic:
		lp.ref = organicReferrers[r.IntN(len(organicReferrers))]
	case entrySocial:
		k := r.IntN(len(socialSources))
		*u = utm{source: socialSources[k], medium: "social", name: mi.slug}
		lp.utm = u
		lp.ref = socialReferrers[k]
	case entryEmail:
		c := g.campaignAt(s.clock)
		*u = utm{source: "nto-email", medium: "email", name: g.w.campNames[c], content: "hero-cta"}
		lp.utm = u
	case entryPrint:
		k := g.waveAt(s.clock)
		*u = utm{source: "catalog", medium: "print", name: g.w.waveIDs[k], content: "qr-code"}
		lp = page{kind: pgCatalog, utm: u}
	case entryPush:
		if s.src == srcApp {
			c := g.campaignAt(s.clock)
			j := g.trackAt(s, evPushTapped, s.clock)
			j.kStr("campaign_id", g.w.campIDs[c])
			j.kStr("campaign_name", g.w.campNames[c])
			j.kStr("campaign_medium", "push")
			g.end(s)
		}
	}
	if s.src == srcApp {
		g.appOpened(s, e == entryPush)
	}
	g.view(s, lp)
}

// appOpened emits Application Opened at the next tick.
func (g *generator) appOpened(s *session, fromPush bool) {
	j := g.track(s, evAppOpened)
	j.kBool("from_background", g.g.chance(0.4))
	if fromPush {
		j.kStr("referring_application", "push")
	}
	g.end(s)
}

var (
	adContents       = [...]string{"carousel-a", "carousel-b", "video-15s", "static-hero", "rsa-1", "rsa-2"}
	organicReferrers = [...]string{"https://www.google.com/", "https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/"}
)

// campaignAt returns the latest email campaign sent by ms (or the first).
func (g *generator) campaignAt(ms int64) int { return g.latest(g.w.campaigns, ms) }

// waveAt returns the latest catalog wave dropped by ms (or the first).
func (g *generator) waveAt(ms int64) int { return g.latest(g.w.waves, ms) }

func (g *generator) latest(times []uint32, ms int64) int {
	t := uint32(max(0, (ms-g.w.startMs)/1000))
	i, found := slices.BinarySearch(times, t)
	if !found {
		i--
	}
	return max(i, 0)
}
