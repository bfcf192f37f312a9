package demo

// expand generates the events of one planned activity.
func (g *generator) expand(c *customer, ci, idx int, a activity) {
	g.c, g.ci = c, ci
	g.anchorMs = g.w.ms(a.at)
	g.g.reset(g.w.seed, streamActivity, uint64(ci), uint64(idx))
	switch a.kind {
	case kAnon:
		g.anonSession(a, a.at == c.l.acq)
	case kSignup:
		g.signup(a)
	case kBrowse:
		g.browseSession(a)
	case kPurchase:
		g.purchase(a)
	case kRefund:
		g.refund(a)
	case kReview:
		g.review(a)
	case kCall:
		g.supportCall(a)
	case kEmail:
		g.emailOpen(a)
	case kCatalog:
		g.catalogDelivered(a)
	case kAppInstall:
		g.appInstall(a)
	case kGroup:
		g.teamAccount(a)
	case kReferral:
		g.referral(a)
	case kVendor:
		g.vendorAppend(a)
	case kPartnerJoin:
		g.partnerJoin(a)
	case kPartnerEvent:
		g.partnerEvent(a)
	}
}

// acqDevice is the browser of the first visit (and of a same-session sign-up).
func (g *generator) acqDevice() int {
	return int(hash3(g.w.seed, streamDevice, uint64(g.ci), 7) % uint64(min(g.c.l.nWeb, 2)))
}

// webDevice picks one of the customer's browsers, the first most often.
func (g *generator) webDevice() int {
	n := int(g.c.l.nWeb)
	if n == 1 || g.g.chance(0.55) {
		return 0
	}
	return 1 + g.g.IntN(n-1)
}

// landingFor picks a landing page for an entry channel.
func (g *generator) landingFor(s *session, e uint8) page {
	r := g.g
	switch e {
	case entryDirect:
		return page{kind: pgHome}
	case entryOrganic:
		if r.chance(0.15) {
			return page{kind: pgGuide, arg: g.guideFor(s.cat)}
		}
		return page{kind: pgProduct, arg: pickProduct(r, s.cat)}
	}
	if r.chance(0.5) {
		return page{kind: pgCategory, arg: s.cat}
	}
	return page{kind: pgProduct, arg: pickProduct(r, s.cat)}
}

func (g *generator) guideFor(cat int) int { return cat*2 + g.g.IntN(2) }

// anonSession is a visit before sign-up (or by a visitor who never signs up).
func (g *generator) anonSession(a activity, first bool) {
	dev := g.acqDevice()
	if !first {
		dev = g.webDevice()
	}
	var s session
	start := g.anchorMs + int64(g.g.IntN(1000))
	g.newSession(&s, srcWeb, false, dev, start, 0)
	e := entryOf(a.flags)
	g.landing(&s, e, g.landingFor(&s, e))
	g.browseBody(&s)
}

// browseSession is a visit after sign-up, in the app or on the web.
func (g *generator) browseSession(a activity) {
	c, r := g.c, g.g
	start := g.anchorMs + int64(r.IntN(1000))
	e := entryOf(a.flags)
	useApp := c.install != never && a.at > c.install && (e == entryPush || r.chance(0.5))
	if e == entryPush && !useApp {
		e = entryDirect
	}
	var s session
	if a.flags&sfResearch != 0 {
		g.newSession(&s, srcWeb, true, g.webDevice(), start, 0)
		g.login(&s)
		g.research(&s, a.n, a.flags&^sfResearch)
		return
	}
	if useApp {
		g.newSession(&s, srcApp, true, appDev, start, 0)
		g.landing(&s, e, page{kind: pgHome})
		g.browseBody(&s)
		return
	}
	dev := g.webDevice()
	user := !r.chance(0.12) // sometimes browsing logged out
	if user && r.chance(0.003) {
		dev = devUndefined
	}
	g.newSession(&s, srcWeb, user, dev, start, 0)
	if user {
		g.login(&s)
	}
	g.landing(&s, e, g.landingFor(&s, e))
	g.browseBody(&s)
}

// login links a browser to the userId the first time the person signs in on
// it: an identify with the anonymousId, as analytics.js sends it.
func (g *generator) login(s *session) {
	if s.dev < 0 || g.c.idMask&(1<<s.dev) != 0 {
		return
	}
	g.c.idMask |= 1 << s.dev
	ts := g.next(s)
	j := g.call(s.src, evIdentify, ts, true, s.dev)
	j.keyObj("traits")
	j.key("email")
	j.rawStrStart()
	j.b = appendEmail(j.b, &g.c.l)
	j.rawStrEnd()
	j.endObj()
	pg := page{kind: pgLogin}
	g.webCtx(s.dev, &pg, nil)
	g.finish()
}

// browseBody is the middle of a visit: search, lists, product views, cart
// activity (often abandoned), shares and guide downloads.
func (g *generator) browseBody(s *session) {
	r := g.g
	if r.chance(0.25) {
		term := searchTerms[s.cat][r.IntN(4)]
		j := g.track(s, evProductsSearched)
		j.kStr("query", term)
		g.end(s)
		g.view(s, page{kind: pgSearch, term: term})
	}
	if r.chance(0.4) {
		g.view(s, page{kind: pgCategory, arg: s.cat})
		j := g.track(s, evProductListViewed)
		j.kStr("list_id", categories[s.cat].slug)
		j.kStr("category", categories[s.cat].name)
		j.keyArr("products")
		for k := range 4 {
			j.obj()
			g.product(pickProduct(r, s.cat), 0, k+1, false)
			j.endObj()
		}
		j.endArr()
		g.end(s)
	}
	var added [3]int
	na := 0
	views := 1
	if r.chance(0.35) {
		views++
	}
	for range views {
		p := pickProduct(r, s.cat)
		g.productView(s, p)
		if r.chance(0.22) {
			g.track(s, evProductAdded)
			g.cartID(s)
			g.product(p, 1, 0, false)
			g.end(s)
			added[na] = p
			na++
		}
		if r.chance(0.02) {
			j := g.track(s, evProductShared)
			j.kStr("share_via", shareVia[r.IntN(len(shareVia))])
			g.product(p, 0, 0, true)
			g.end(s)
		}
	}
	if na > 0 && r.chance(0.7) {
		g.view(s, page{kind: pgCart})
		g.cartEvent(s, evCartViewed, added[:na])
		if r.chance(0.12) {
			g.track(s, evProductRemoved)
			g.cartID(s)
			g.product(added[na-1], 1, 0, false)
			g.end(s)
			na--
		}
		if na > 0 && s.user && r.chance(0.35) {
			g.cartEvent(s, evCheckoutStarted, added[:na]) // abandoned
			g.view(s, page{kind: pgShipping})
		}
	}
	if s.user && r.chance(0.03) {
		gd := g.guideFor(s.cat)
		g.view(s, page{kind: pgGuide, arg: gd})
		g.guideDownloaded(s, gd)
	}
}

var shareVia = [...]string{"email", "facebook", "pinterest", "copy_link", "sms"}

func (g *generator) productView(s *session, p int) {
	g.view(s, page{kind: pgProduct, arg: p})
	g.track(s, evProductViewed)
	g.product(p, 0, 0, true)
	j := &g.j
	j.kStr("currency", "USD")
	g.end(s)
}

// cartEvent writes Cart Viewed or an abandoned Checkout Started for items.
func (g *generator) cartEvent(s *session, kind evKind, items []int) {
	j := g.track(s, kind)
	g.cartID(s)
	var value int64
	for _, p := range items {
		value += catalog[p].price
	}
	if kind == evCheckoutStarted {
		j.kMoney("value", value)
		j.kMoney("revenue", value)
		j.kStr("currency", "USD")
	}
	j.keyArr("products")
	for k, p := range items {
		j.obj()
		g.product(p, 1, k+1, false)
		j.endObj()
	}
	j.endArr()
	g.end(s)
}

func (g *generator) guideDownloaded(s *session, gd int) {
	j := g.track(s, evGuideDownloaded)
	j.kStr("guide_id", guides[gd].id)
	j.kStr("guide_title", guides[gd].title)
	j.kStr("topic", categories[guides[gd].category].name)
	j.kStr("format", "pdf")
	g.end(s)
}

// research is a visit a day or more before buying order n in a store: the
// order's products are viewed and the store page is checked.
func (g *generator) research(s *session, n uint16, flags uint8) {
	var o orderInfo
	g.buildOrder(n, flags, &o)
	g.view(s, page{kind: pgHome})
	for k := range o.n {
		g.productView(s, int(o.items[k].prod))
	}
	g.view(s, page{kind: pgStores, arg: o.store})
}
