package demo

// supportCall is a call to the service center, about order a.n or not.
func (g *generator) supportCall(a activity) {
	if a.n == noOrder {
		g.callCompleted(g.anchorMs+int64(g.g.IntN(1000)), callReasons[a.flags%uint8(len(callReasons))], nil)
		return
	}
	// Only the order id is quoted, so the basket is not rebuilt.
	o := orderInfo{num: orderNum(a.n), flags: orderFlags(entryDirect, a.flags>>4)}
	g.callCompleted(g.anchorMs+int64(g.g.IntN(1000)), callReasons[a.flags&3], &o)
}

// callCompleted emits Call Completed at the end of a call that began at ts,
// with a Support Ticket Created for calls that need follow-up.
func (g *generator) callCompleted(ts int64, reason string, o *orderInfo) {
	r := g.g
	dur := int64(60 + r.ExpFloat64()*300)
	callID := hash3(g.w.seed, streamActivity, uint64(g.ci), uint64(ts))
	ticket := reason != "phone_order" && r.chance(0.35)
	if ticket {
		j := g.call(srcCallCenter, evTicketCreated, ts+dur*500, true, devNone)
		j.keyObj("properties")
		j.key("ticket_id")
		j.rawStrStart()
		j.b = append(j.b, "TKT-"...)
		j.b = appendHex(j.b, callID>>20, 8)
		j.rawStrEnd()
		j.kStr("reason", reason)
		j.kStr("priority", priorities[r.IntN(len(priorities))])
		g.orderRefProp(o)
		j.endObj()
		g.callCtx()
		g.finish()
	}
	j := g.call(srcCallCenter, evCallCompleted, ts+dur*1000, true, devNone)
	j.keyObj("properties")
	j.key("call_id")
	j.rawStrStart()
	j.b = append(j.b, "call-"...)
	j.b = appendHex(j.b, callID, 12)
	j.rawStrEnd()
	j.kStr("reason", reason)
	j.kInt("duration_seconds", dur)
	j.key("agent_id")
	j.rawStrStart()
	j.b = append(j.b, "agent-"...)
	j.b = appendPadded(j.b, int64(1+r.IntN(120)), 3)
	j.rawStrEnd()
	j.kStr("queue", queueFor(reason))
	if ticket {
		j.kStr("resolution", "ticket_created")
	} else {
		j.kStr("resolution", "resolved")
	}
	g.orderRefProp(o)
	j.endObj()
	g.callCtx()
	g.finish()
}

var priorities = [...]string{"low", "normal", "normal", "high"}

func queueFor(reason string) string {
	switch reason {
	case "phone_order":
		return "sales"
	case "return_request", "warranty_claim":
		return "returns"
	case "billing":
		return "billing"
	}
	return "general"
}

func (g *generator) orderRefProp(o *orderInfo) {
	if o == nil {
		return
	}
	j := &g.j
	j.key("order_id")
	j.rawStrStart()
	j.b = g.appendOrderID(j.b, o)
	j.rawStrEnd()
}

// teamAccount is a coach registering the team's account: a group call.
func (g *generator) teamAccount(a activity) {
	team := int(a.n)
	tn := &teamNames[team%len(teamNames)]
	j := g.call(srcWeb, evGroup, g.anchorMs, true, devNone)
	j.key("groupId")
	j.rawStrStart()
	j.b = appendTeamID(j.b, team)
	j.rawStrEnd()
	j.keyObj("traits")
	j.key("name")
	j.rawStrStart()
	j.b = append(j.b, tn.name...)
	if n := team / len(teamNames); n > 0 {
		j.b = append(j.b, ' ')
		j.b = appendPadded(j.b, int64(n+1), 1)
	}
	j.rawStrEnd()
	j.kStr("industry", tn.industry)
	j.kStr("sport", tn.sport)
	j.kStr("plan", "NTO Team")
	j.kInt("employees", int64(12+team*7%40))
	j.keyObj("address")
	c := &cities[hash3(g.w.seed, streamVendor, uint64(team), 1)%uint64(len(cities))]
	j.kStr("city", c.name)
	j.kStr("state", c.state)
	j.kStr("country", "US")
	j.endObj()
	j.endObj()
	pg := page{kind: pgHome}
	g.webCtx(g.signupDevice(), &pg, nil)
	g.finish()
}

// referral is an advocate sending a referral link.
func (g *generator) referral(a activity) {
	r := g.g
	j := g.call(srcWeb, evReferralSent, g.anchorMs+int64(r.IntN(1000)), true, devNone)
	j.keyObj("properties")
	j.key("referral_code")
	j.rawStrStart()
	j.b = append(j.b, "REF-"...)
	j.b = appendHex(j.b, hash3(g.w.seed, streamVendor, uint64(g.ci), 2), 8)
	j.rawStrEnd()
	j.kStr("share_via", shareVia[r.IntN(len(shareVia))])
	j.kMoney("reward_value", 2000)
	j.endObj()
	pg := page{kind: pgHome}
	g.webCtx(g.webDevice(), &pg, nil)
	g.finish()
}

var (
	ageRanges = [...]string{"18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
	incomes   = [...]string{"<50k", "50-75k", "75-100k", "100-150k", "150k+"}
	lifestyle = [...]string{"Active Outdoors", "Suburban Families", "Urban Professionals", "Empty Nesters", "Young Adventurers"}
	tiers     = [...]string{"bronze", "silver", "gold"}
)

// vendorAppend is a third-party demographic append keyed by email: an identify
// with the vendor's own record id as anonymousId and the email as externalId.
func (g *generator) vendorAppend(a activity) {
	l := &g.c.l
	r := g.aux
	r.reset(g.w.seed, streamVendor, uint64(g.ci), 0)
	j := g.begin(srcVendor, evIdentify, g.anchorMs)
	j.key("anonymousId")
	j.rawStrStart()
	j.b = append(j.b, "axm-"...)
	j.b = appendHex(j.b, hash3(g.w.seed, streamVendor, uint64(g.ci), 3), 16)
	j.rawStrEnd()
	j.keyObj("traits")
	j.key("email")
	j.rawStrStart()
	j.b = appendEmail(j.b, l)
	j.rawStrEnd()
	years := int((g.anchorMs/1000/day + 10957 - int64(l.birth)) / 365) // age at the append
	age := min(len(ageRanges)-1, max(0, (years-15)/10))
	j.kStr("age_range", ageRanges[age])
	j.kStr("household_income", incomes[r.IntN(len(incomes))])
	j.kBool("homeowner", r.chance(0.62))
	j.kBool("children_in_household", r.chance(0.38))
	j.kStr("lifestyle_segment", lifestyle[r.IntN(len(lifestyle))])
	j.keyArr("interests")
	j.str(categories[l.fav[0]].slug)
	j.str(interests[6+r.IntN(len(interests)-6)])
	j.endArr()
	j.endObj()
	g.serverCtx()
	g.scratch = appendEmail(g.scratch[:0], l)
	g.externalID("email", g.scratch)
	j.endObj()
	g.finish()
}

func (g *generator) appendMemberID(b []byte) []byte {
	b = append(b, "tc-"...)
	return appendHex(b, hash3(g.w.seed, streamVendor, uint64(g.ci), 4), 16)
}

// partnerJoin is the Trail Club sharing a member record (second-party data),
// keyed by the member id and email; it may predate the person's first visit.
func (g *generator) partnerJoin(a activity) {
	l := &g.c.l
	r := g.aux
	r.reset(g.w.seed, streamVendor, uint64(g.ci), 5)
	j := g.begin(srcPartner, evIdentify, g.anchorMs)
	j.key("anonymousId")
	j.rawStrStart()
	j.b = g.appendMemberID(j.b)
	j.rawStrEnd()
	j.keyObj("traits")
	j.key("email")
	j.rawStrStart()
	j.b = appendEmail(j.b, l)
	j.rawStrEnd()
	j.kStr("first_name", firstNames[l.first])
	j.kStr("last_name", lastNames[l.last])
	j.kStr("trailclub_tier", tiers[r.IntN(len(tiers))])
	j.key("trailclub_member_since")
	j.rawStrStart()
	j.b = appendDate(j.b, g.anchorMs-int64(r.IntN(2000))*day*1000)
	j.rawStrEnd()
	j.kStr("favorite_activity", categories[l.fav[0]].slug)
	j.endObj()
	g.serverCtx()
	g.scratch = g.appendMemberID(g.scratch[:0])
	g.externalID("trailclub_id", g.scratch)
	j.endObj()
	g.finish()
}

var clubEvents = [...]string{"Saturday Trail Cleanup", "Sunrise Group Hike", "Trail Running Clinic", "Gravel Ride Meetup", "Fly Tying Night", "Backcountry Ski Safety Day"}

func (g *generator) partnerEvent(a activity) {
	l := &g.c.l
	r := g.g
	c := &cities[l.city]
	j := g.begin(srcPartner, evClubEvent, g.anchorMs+int64(r.IntN(1000)))
	j.key("anonymousId")
	j.rawStrStart()
	j.b = g.appendMemberID(j.b)
	j.rawStrEnd()
	j.kStr("event", kinds[evClubEvent].name)
	j.keyObj("properties")
	j.kStr("event_name", clubEvents[r.IntN(len(clubEvents))])
	j.kStr("city", c.name)
	j.kStr("state", c.state)
	j.kFloat("miles", 2+r.Float64()*10, 1)
	j.endObj()
	g.serverCtx().endObj()
	g.finish()
}
