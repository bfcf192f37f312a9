package demo

// signupSpan bounds the events of a checkout sign-up (ms after its anchor).
const signupSpan = 60_000

// signup emits the sign-up on its channel: an identify carrying the full
// profile (linking the device's anonymousId when there is one) and Signed Up.
func (g *generator) signup(a activity) {
	l := &g.c.l
	r := g.g
	ts := g.anchorMs + int64(r.IntN(1000))
	placeholder := l.has(fPlaceholderEmail)
	switch a.flags {
	case methodStore, methodCall:
		src := srcPOS
		if a.flags == methodCall {
			src = srcCallCenter
		}
		st := nearestStore[l.city]
		j := g.call(src, evIdentify, ts, true, devNone)
		j.keyObj("traits")
		g.profileTraits(ts, false, placeholder)
		j.endObj()
		g.signupCtx(src, st)
		g.finish()
		j = g.call(src, evSignedUp, ts+500, true, devNone)
		j.keyObj("properties")
		j.kStr("method", methodNames[a.flags])
		if src == srcPOS {
			j.kStr("store_id", stores[st].id)
		}
		j.endObj()
		g.signupCtx(src, st)
		g.finish()
		if src == srcCallCenter {
			g.callCompleted(ts+int64(180+r.IntN(400))*1000, "account_help", nil)
		}
	case methodApp:
		var s session
		g.newSession(&s, srcApp, false, appDev, ts, 0)
		g.appOpened(&s, false)
		g.view(&s, page{kind: pgSignup})
		s.user = true
		g.appIdentify(&s, true)
		j := g.track(&s, evSignedUp)
		j.kStr("method", methodNames[a.flags])
		g.end(&s)
	default:
		var s session
		limit := int64(0)
		if l.checkout {
			limit = g.anchorMs + signupSpan // the checkout continues right after
		}
		g.newSession(&s, srcWeb, false, g.signupDevice(), ts, limit)
		gd := -1
		if a.flags == methodGuide {
			gd = g.guideFor(int(l.fav[0]))
			g.view(&s, page{kind: pgGuide, arg: gd})
		} else {
			g.view(&s, page{kind: pgSignup})
		}
		s.user = true
		g.c.idMask |= 1 << s.dev
		j := g.call(srcWeb, evIdentify, g.next(&s), true, s.dev)
		j.keyObj("traits")
		g.profileTraits(s.clock, false, placeholder)
		j.endObj()
		g.webCtx(s.dev, s.curPtr(), s.prevPtr())
		g.finish()
		j = g.track(&s, evSignedUp)
		j.kStr("method", methodNames[a.flags])
		j.key("email")
		j.rawStrStart()
		j.b = appendEmail(j.b, l)
		j.rawStrEnd()
		g.end(&s)
		if gd >= 0 {
			g.guideDownloaded(&s, gd)
		}
	}
}

func (g *generator) signupCtx(src sourceID, st int) {
	if src == srcPOS {
		g.posCtx(st)
		return
	}
	g.callCtx()
}

// appIdentify links the app's anonymousId to the user: identify with the push
// token, then alias(previousId = anonymousId), as mobile SDKs do on login.
func (g *generator) appIdentify(s *session, full bool) {
	g.c.idMask |= 1 << appDev
	ts := g.next(s)
	j := g.call(srcApp, evIdentify, ts, true, appDev)
	j.keyObj("traits")
	if full {
		g.profileTraits(ts, true, false)
	} else {
		j.key("email")
		j.rawStrStart()
		j.b = appendEmail(j.b, &g.c.l)
		j.rawStrEnd()
		j.key("push_token")
		j.rawStrStart()
		j.b = g.appendPushToken(j.b)
		j.rawStrEnd()
		g.consent(g.c.l.has(fConsentEmail))
	}
	j.endObj()
	g.appCtx(ts, true)
	g.finish()
	ts = g.next(s)
	j = g.call(srcApp, evAlias, ts, true, devNone)
	j.key("previousId")
	j.rawStrStart()
	j.b = g.appendAnon(j.b, appDev)
	j.rawStrEnd()
	g.appCtx(ts, false)
	g.finish()
}

// appInstall emits Application Installed and the first open; a customer who
// already has an account signs in right away.
func (g *generator) appInstall(a activity) {
	var s session
	g.newSession(&s, srcApp, false, appDev, g.anchorMs+int64(g.g.IntN(1000)), 0)
	j := g.trackAt(&s, evAppInstalled, s.clock)
	g.appVersion()
	g.end(&s)
	j = g.track(&s, evAppOpened)
	j.kBool("from_background", false)
	g.appVersion()
	g.end(&s)
	if g.c.l.method == methodApp {
		return // the sign-up that follows identifies the app
	}
	g.view(&s, page{kind: pgLogin})
	s.user = true
	g.appIdentify(&s, false)
	g.view(&s, page{kind: pgHome})
}

func (g *generator) appVersion() {
	j := &g.j
	j.kStr("version", "5.0.0")
	j.kStr("build", "5000")
}

// adClicked is the ad platform's click report, keyed by the browser's
// anonymousId, with the ad's UTM tags.
func (g *generator) adClicked(s *session, net *adNetwork, u *utm) {
	r := g.g
	dev := s.dev
	if dev < 0 {
		dev = 0
	}
	j := g.call(srcAds, evAdClicked, s.clock-int64(2000+r.IntN(6000)), false, dev)
	j.keyObj("properties")
	j.kStr("network", net.source)
	j.kStr("campaign_name", u.name)
	j.key("ad_id")
	j.rawStrStart()
	j.b = append(j.b, "ad-"...)
	j.b = appendPadded(j.b, int64(r.IntN(400)+100), 4)
	j.rawStrEnd()
	j.kStr("ad_group", categories[s.cat].slug)
	j.kStr("placement", u.medium)
	j.key("click_id")
	j.rawStrStart()
	j.b = appendHex(j.b, r.Uint64(), 16)
	j.rawStrEnd()
	j.endObj()
	g.serverCtx()
	j.keyObj("campaign")
	j.kStr("source", u.source)
	j.kStr("medium", u.medium)
	j.kStr("name", u.name)
	if u.term != "" {
		j.kStr("term", u.term)
	}
	j.kStr("content", u.content)
	j.endObj()
	j.endObj()
	g.finish()
}

// emailOpen is the email platform reporting an open (and maybe a click, which
// starts a visit, or an unsubscribe).
func (g *generator) emailOpen(a activity) {
	r := g.g
	c := int(a.n)
	ts := g.anchorMs + int64(r.IntN(1000))
	g.emailEvent(evEmailOpened, ts, c)
	if a.flags&efClick != 0 {
		ts += int64(5+r.IntN(120)) * 1000
		g.emailEvent(evEmailClicked, ts, c)
		var s session
		g.newSession(&s, srcWeb, true, g.webDevice(), ts+800, 0)
		g.login(&s)
		g.utmBuf = utm{source: "nto-email", medium: "email", name: g.w.campNames[c], content: "hero-cta"}
		lp := g.landingFor(&s, entryAd)
		lp.utm = &g.utmBuf
		g.view(&s, lp)
		if r.chance(0.4) {
			g.browseBody(&s)
		}
		ts = s.clock
	}
	if a.flags&efUnsubscribe != 0 {
		g.c.unsub = true
		ts += int64(10+r.IntN(60)) * 1000
		g.emailEvent(evUnsubscribed, ts, c)
		j := g.call(srcEmail, evIdentify, ts+100, true, devNone)
		j.keyObj("traits")
		g.consent(false)
		j.endObj()
		g.serverCtx().endObj()
		g.finish()
	}
}

func (g *generator) emailEvent(kind evKind, ts int64, c int) {
	j := g.call(srcEmail, kind, ts, true, devNone)
	j.keyObj("properties")
	j.key("email_id")
	j.rawStrStart()
	j.b = append(j.b, "em-"...)
	j.b = append(j.b, g.w.campIDs[c][4:]...)
	j.rawStrEnd()
	j.kStr("campaign_id", g.w.campIDs[c])
	j.kStr("campaign_name", g.w.campNames[c])
	switch kind {
	case evEmailOpened:
		j.kStr("email_subject", g.w.subjects[c])
	case evEmailClicked:
		j.kStr("link_id", "hero-cta")
		j.kStr("link_url", siteURL+"/")
	case evUnsubscribed:
		j.kStr("list_id", "marketing")
	}
	j.endObj()
	g.serverCtx()
	j.keyObj("traits")
	j.key("email")
	j.rawStrStart()
	j.b = appendEmail(j.b, &g.c.l)
	j.rawStrEnd()
	j.endObj()
	j.endObj()
	g.finish()
}

// catalogDelivered is the mail house confirming delivery of wave a.n, or,
// for the holdout, reporting the piece it withheld (Catalog Held Out).
func (g *generator) catalogDelivered(a activity) {
	k := int(a.n)
	kind := evCatalogDelivered
	if a.flags&cfHeldOut != 0 {
		kind = evCatalogHeldOut
	}
	j := g.call(srcDirectMail, kind, g.anchorMs, true, devNone)
	j.keyObj("properties")
	j.kStr("catalog_id", g.w.waveIDs[k])
	j.kStr("catalog_name", g.w.waveNames[k])
	j.kInt("wave", int64(k))
	j.key("mail_piece_id")
	j.rawStrStart()
	j.b = append(j.b, "mp-"...)
	j.b = appendHex(j.b, hash3(g.w.seed, streamJitter, uint64(g.ci), uint64(k)+1), 12)
	j.rawStrEnd()
	j.key("offer_code")
	j.rawStrStart()
	j.b = append(j.b, "MAIL"...)
	j.b = append(j.b, g.w.waveIDs[k][6:8]...)
	j.b = append(j.b, g.w.waveIDs[k][9:]...)
	j.rawStrEnd()
	j.key("postal_code")
	j.rawStrStart()
	j.b = append(j.b, cities[g.c.l.city].zip3...)
	j.b = appendPadded(j.b, int64(g.c.l.zip2), 2)
	j.rawStrEnd()
	j.endObj()
	g.serverCtx().endObj()
	g.finish()
}
